/*
 * Shared by the fake CUDA libraries (libcudart, libcublas, libcusolver) that the CUDA backend's tests run against on
 * machines without a GPU: "device" memory is host memory that the fake cudart hands out and records, so every other
 * fake call can check that what must be a device pointer is one (a host pointer passed to cuBLAS is the bug a real GPU
 * reports as an illegal address, or not at all).
 */
#ifndef FAKE_DEVICE_H
#define FAKE_DEVICE_H
#include <stddef.h>

/* 1 if [ptr, ptr + bytes) lies inside one live fake device allocation. */
int fake_is_device(const void *ptr, size_t bytes);
/* Counts calls by name for the tests (fake_calls("cublasSgemm_v2")). */
void fake_count(const char *name);
#endif

package io.svdwb.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodReference;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.svdwb.engine.linalg.LinearAlgebra;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Layering rules of the engine (the JabRef pattern): no UI toolkit, no console output outside the CLI, and the linear
 * algebra backend chosen by the wiring alone.
 */
class ArchitectureTest {

    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.svdwb.engine");
    }

    @Test
    void engineDoesNotUseJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree..")
                .because("the engine runs headless on servers; the workbench lives in the app module")
                .check(engine);
    }

    @Test
    void onlyTheCliWritesToStandardStreams() {
        noClasses().that().resideOutsideOfPackage("io.svdwb.engine.cli..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().callMethod(Throwable.class, "printStackTrace")
                .because("engine code reports through SLF4J and ProgressListener; only the CLI prints")
                .check(engine);
    }

    @Test
    void onlyTheCliLogLevelKnowsTheLoggingBackend() {
        noClasses().that().doNotHaveFullyQualifiedName("io.svdwb.engine.cli.LogLevel")
                .should().dependOnClassesThat().resideInAPackage("ch.qos.logback..")
                .because("the engine logs through SLF4J; logback is the CLI's choice, and only --verbose sets its level")
                .check(engine);
    }

    @Test
    void onlyTheWiringChoosesTheCpuBackend() {
        noClasses().that().resideOutsideOfPackages("io.svdwb.engine.linalg..", "io.svdwb.engine.cli..",
                        "io.svdwb.engine.bench..")
                .should().callMethod(LinearAlgebra.class, "cpu")
                .orShould(referenceTheCpuFactory())
                .because("kernels, methods and pipelines take the LinearAlgebra their caller passes in, so that a GPU"
                        + " backend injected by the wiring (CLI, benchmarks, app, tests) reaches every heavy operation")
                .check(engine);
    }

    /** {@code LinearAlgebra::cpu} as a method reference (a supplier of the backend), which callMethod does not see. */
    private static ArchCondition<JavaClass> referenceTheCpuFactory() {
        return new ArchCondition<>("reference method LinearAlgebra.cpu()") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaMethodReference reference : item.getMethodReferencesFromSelf()) {
                    if (reference.getTargetOwner().isEquivalentTo(LinearAlgebra.class) && reference.getName().equals("cpu")) {
                        events.add(SimpleConditionEvent.satisfied(reference, reference.getDescription()));
                    }
                }
            }
        };
    }

    /**
     * A method in its own package is one package plus one registration line: nothing outside its package but the registry
     * ({@code MethodId}) names its classes, so the CLI, sweeps, sessions and the workbench reach it only through
     * {@code CompressionMethod}. Holds for every method package there is (the built-in ones predate it and live in
     * {@code compress.method}).
     */
    @Test
    void aMethodPackageIsReachedOnlyThroughTheRegistry() {
        for (String methodPackage : new String[] {"io.svdwb.engine.compress.swift", "io.svdwb.engine.compress.zerosum"}) {
            noClasses().that().resideOutsideOfPackage(methodPackage)
                    .and().doNotHaveFullyQualifiedName("io.svdwb.engine.compress.method.MethodId")
                    .should().dependOnClassesThat().resideInAPackage(methodPackage)
                    .because("a new method is its own package plus one line in MethodId's registry")
                    .check(engine);
        }
    }

    @Test
    void theUiSideDoesNotReachIntoTheCli() {
        noClasses().that().resideOutsideOfPackage("io.svdwb.engine.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.svdwb.engine.cli..")
                .check(engine);
    }
}

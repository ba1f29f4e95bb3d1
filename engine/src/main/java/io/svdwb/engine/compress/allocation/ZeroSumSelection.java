package io.svdwb.engine.compress.allocation;

import java.util.List;
import java.util.PriorityQueue;

/**
 * Zero-Sum SVD's global selection (docs/METHODS.md §4.11, [CODE] {@code compression/planning.py stage_plan} with
 * {@code selection_mode zero_sum}). Every matrix offers its smallest kept singular component (components are dropped
 * from the tail, so each matrix keeps a leading block); the candidates wait in two queues by the sign of their
 * first-order loss change ΔL, each ordered by |ΔL| ascending. While the removed parameters are below the target, the
 * next drop comes from the positive queue when the running sum of accepted ΔL is {@code <= 0} and from the negative one
 * otherwise (the other queue when that one is empty), so the predicted total change stays near zero.
 *
 * <p>Accounting (§2.3, §2.4): r* is the largest rank whose factors store fewer numbers than W,
 * {@code r* = floor((m n - 1) / (m + n))}. A matrix above r* is stored dense, so a drop frees nothing until the rank
 * reaches r*, then {@code m n - r* (m + n)}, then {@code m + n} per drop; a matrix that ends above r* stays dense. A
 * matrix with r* = 0 (no rank pays off) offers nothing [OURS; the reference's {@code max(1, .)} would count a loss].
 * No matrix drops below {@code max(1, ceil(rankFloor r*))} components ({@code keep_rank_ratio}). Stateless.
 */
public final class ZeroSumSelection {

    /**
     * One matrix: its shape and the loss changes of removing each component, in the decomposition's order (sigma
     * descending); {@code lossChanges.length} is its full rank.
     */
    public record Scores(int rows, int cols, double[] lossChanges) {
        public Scores {
            if (rows <= 0 || cols <= 0 || lossChanges.length == 0 || lossChanges.length > Math.min(rows, cols)) {
                throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix cannot have " + lossChanges.length
                        + " components");
            }
        }

        long dense() {
            return (long) rows * cols;
        }

        long perComponent() {
            return (long) rows + cols;
        }

        int breakEven() {
            return (int) ((dense() - 1) / perComponent());
        }
    }

    /**
     * @param ranks         per matrix, the kept rank; 0 = stored dense
     * @param stored        numbers stored by all matrices together
     * @param removed       {@code Σ m n - stored}
     * @param predictedLoss sum of ΔL over every dropped component, those of matrices that ended dense included (the
     *                      running sum the rule balanced)
     */
    public record Result(int[] ranks, long stored, long removed, double predictedLoss) {
    }

    private record Candidate(double lossChange, long order, int matrix) {
    }

    private ZeroSumSelection() {
    }

    /**
     * @param removalTarget parameters to remove at least ({@code Σ m n - budget})
     * @param rankFloor     fraction of r* no matrix drops below, in [0, 1]
     * @throws IllegalArgumentException when even every matrix at its floor cannot remove {@code removalTarget}
     */
    public static Result select(List<Scores> matrices, long removalTarget, double rankFloor) {
        if (!(rankFloor >= 0 && rankFloor <= 1)) {
            throw new IllegalArgumentException("rank floor must be in [0, 1], got " + rankFloor);
        }
        int count = matrices.size();
        int[] rank = new int[count];
        int[] minRank = new int[count];
        java.util.Comparator<Candidate> bySize = java.util.Comparator.comparingDouble((Candidate c) -> Math.abs(c.lossChange()))
                .thenComparingLong(Candidate::order);
        PriorityQueue<Candidate> positive = new PriorityQueue<>(bySize);
        PriorityQueue<Candidate> negative = new PriorityQueue<>(bySize);
        long order = 0;
        for (int w = 0; w < count; w++) {
            Scores s = matrices.get(w);
            rank[w] = s.lossChanges().length;
            minRank[w] = Math.max(1, (int) Math.ceil(rankFloor * s.breakEven()));
            if (s.breakEven() > 0 && rank[w] > minRank[w]) {
                offer(s, w, rank[w], positive, negative, order++);
            }
        }
        long removed = 0;
        double running = 0;
        while (removed < removalTarget) {
            PriorityQueue<Candidate> preferred = running <= 0 ? positive : negative;
            Candidate next = preferred.isEmpty() ? (running <= 0 ? negative : positive).poll() : preferred.poll();
            if (next == null) {
                throw new IllegalArgumentException("Zero-Sum SVD cannot remove " + removalTarget + " parameters: with every matrix at"
                        + " its rank floor (" + rankFloor + " x break-even rank, at least 1) only " + removed + " can go");
            }
            int w = next.matrix();
            Scores s = matrices.get(w);
            rank[w]--;
            running += next.lossChange();
            int breakEven = s.breakEven();
            removed += rank[w] > breakEven ? 0 : rank[w] == breakEven ? s.dense() - breakEven * s.perComponent() : s.perComponent();
            if (rank[w] > minRank[w]) {
                offer(s, w, rank[w], positive, negative, order++);
            }
        }
        long stored = 0;
        for (int w = 0; w < count; w++) {
            Scores s = matrices.get(w);
            if (rank[w] > s.breakEven()) {
                rank[w] = 0;
                stored += s.dense();
            } else {
                stored += rank[w] * s.perComponent();
            }
        }
        return new Result(rank, stored, removed, running);
    }

    /** The tail candidate of a matrix now at {@code rank}: component {@code rank - 1}. */
    private static void offer(Scores s, int matrix, int rank, PriorityQueue<Candidate> positive, PriorityQueue<Candidate> negative,
            long order) {
        double change = s.lossChanges()[rank - 1];
        (change >= 0 ? positive : negative).add(new Candidate(change, order, matrix));
    }
}

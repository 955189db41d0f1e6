package pql.load;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Calls at a fixed rate, open loop: call i is due at start + i / rate and its latency counts from
 * when it was due, not from when it was sent, so a stall also charges the calls queued behind it
 * (a closed loop would hide them). The first {@code warmUpCalls} are sent but not counted.
 */
public final class PacedCalls {

    /** What the measured calls gave: latencies of those that succeeded, sorted. */
    public record Outcome(int measuredCalls, long[] sortedLatencyNanos, int failures, double measuredSeconds, long measuredCpuNanos) {

        public double millis(double quantile) {
            if (sortedLatencyNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sortedLatencyNanos.length - 1L, Math.round(quantile * (sortedLatencyNanos.length - 1)));
            return sortedLatencyNanos[index] / 1e6;
        }

        public double maxMillis() {
            return sortedLatencyNanos.length == 0 ? Double.NaN : sortedLatencyNanos[sortedLatencyNanos.length - 1] / 1e6;
        }

        /** Calls sent per second while measuring: the rate achieved. */
        public double callsPerSecond() {
            return measuredCalls / measuredSeconds;
        }

        public double cpuMicrosPerCall() {
            return measuredCpuNanos / 1e3 / Math.max(1, measuredCalls);
        }
    }

    private PacedCalls() {
    }

    /**
     * Sends {@code total} calls at {@code rate} per second; {@code call} starts call i and returns
     * its completion. Waits at most two minutes for the last answers.
     */
    public static Outcome run(int total, int rate, int warmUpCalls, IntFunction<? extends CompletionStage<?>> call)
            throws InterruptedException {
        if (rate < 1 || warmUpCalls < 0 || warmUpCalls > total) {
            throw new IllegalArgumentException("rate must be >= 1 and 0 <= warm-up calls <= total calls");
        }
        long[] latencies = new long[total - warmUpCalls];
        Arrays.fill(latencies, -1);
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long cpuAtWarmUpEnd = processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i == warmUpCalls) {
                cpuAtWarmUpEnd = processCpuNanos();
            }
            int measured = i - warmUpCalls;
            call.apply(i).whenComplete((answer, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                } else if (measured >= 0) {
                    latencies[measured] = System.nanoTime() - due;
                }
                done.countDown();
            });
        }
        if (!done.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the paced calls did not all finish within two minutes");
        }
        double measuredSeconds = (System.nanoTime() - start) / 1e9 - warmUpCalls / (double) rate;
        long cpu = processCpuNanos() - cpuAtWarmUpEnd;
        long[] answered = Arrays.stream(latencies).filter(latency -> latency >= 0).sorted().toArray();
        return new Outcome(latencies.length, answered, failures.get(), measuredSeconds, cpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

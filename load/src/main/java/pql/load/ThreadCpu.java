package pql.load;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import pql.load.ThreadUsage.Counter;

/**
 * Where the CPU of a measurement went: every thread of this process (Java threads, the JVM's GC
 * and JIT threads, RocksDB's native threads) read from /proc/self/task before and after, grouped
 * by what the thread does (each benchmark names its groups), plus the bytes each Java thread
 * allocated and the process CPU time. On a shared machine the wall-clock rate swings with the
 * neighbours; CPU time per event is the steadier figure.
 */
public final class ThreadCpu {

    private ThreadCpu() {
    }

    /** A reading taken before a measurement; {@link #stop} gives what happened since. */
    public record Start(long wallNanos, long processCpuNanos, Map<Integer, Counter> tasks, Map<Long, Counter> allocated,
            long gcMillis) {

        /** What the measurement used, each thread counted in the group {@code groupOf} gives for its name. */
        public Usage stop(Function<String, String> groupOf) {
            double seconds = (System.nanoTime() - wallNanos) / 1e9;
            long processCpu = ThreadCpu.processCpuNanos() - processCpuNanos;
            Map<String, Long> cpuByGroup = new LinkedHashMap<>();
            Map<String, Long> cpuByThread = new HashMap<>();
            for (Map.Entry<Integer, Counter> task : ThreadUsage.cpuTicks().entrySet()) {
                Counter before = tasks.get(task.getKey());
                long nanos = (task.getValue().amount() - (before == null ? 0 : before.amount())) * ThreadUsage.NANOS_PER_TICK;
                cpuByGroup.merge(groupOf.apply(task.getValue().name()), nanos, Long::sum);
                cpuByThread.merge(task.getValue().name(), nanos, Long::sum);
            }
            Map<String, Long> allocatedByGroup = new LinkedHashMap<>();
            for (Map.Entry<Long, Counter> thread : ThreadUsage.allocatedBytes().entrySet()) {
                Counter before = allocated.get(thread.getKey());
                allocatedByGroup.merge(groupOf.apply(thread.getValue().name()),
                        thread.getValue().amount() - (before == null ? 0 : before.amount()), Long::sum);
            }
            return new Usage(seconds, processCpu, cpuByGroup, cpuByThread, allocatedByGroup, ThreadUsage.collectorMillis() - gcMillis);
        }
    }

    /**
     * What one measurement used. Two CPU totals: the process's (from the JVM, in nanoseconds) and the
     * sum of its threads' ticks (from /proc, 10 ms resolution); the groups add up to the latter.
     */
    public record Usage(double seconds, long processCpuNanos, Map<String, Long> cpuByGroup, Map<String, Long> cpuByThread,
            Map<String, Long> allocatedByGroup, long gcMillis) {

        public long threadCpuNanos() {
            return cpuByGroup.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The threads' CPU per unit of work (event, call), in microseconds. */
        public double cpuMicrosPerUnit(long units) {
            return threadCpuNanos() / 1e3 / units;
        }

        public double cpuMicrosPerUnit(String group, long units) {
            return cpuByGroup.getOrDefault(group, 0L) / 1e3 / units;
        }

        /** The process's CPU per unit of work, in microseconds. */
        public double processCpuMicrosPerUnit(long units) {
            return processCpuNanos / 1e3 / units;
        }

        public double bytesPerUnit(String group, long units) {
            return allocatedByGroup.getOrDefault(group, 0L) / (double) units;
        }

        /** Cores kept busy on average: 2.0 is the whole machine here. */
        public double cores() {
            return threadCpuNanos() / 1e9 / seconds;
        }
    }

    public static Start start() {
        return new Start(System.nanoTime(), processCpuNanos(), ThreadUsage.cpuTicks(), ThreadUsage.allocatedBytes(),
                ThreadUsage.collectorMillis());
    }

    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}

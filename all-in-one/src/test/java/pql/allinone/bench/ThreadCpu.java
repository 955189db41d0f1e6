package pql.allinone.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pql.load.ThreadUsage.Counter;
import pql.load.ThreadUsage;

/**
 * Where the CPU of a measurement went: every thread of this process (Java threads, the JVM's GC
 * and JIT threads, RocksDB's native threads) read from /proc/self/task before and after, grouped
 * by what the thread does, plus the bytes each Java thread allocated. On a shared machine the
 * wall-clock rate swings with the neighbours; CPU time per event is the steadier figure.
 */
final class ThreadCpu {

    /** USER_HZ is 100 on the Linux machines this runs on. */

    static final String LOAD_GENERATOR = "load generator";
    static final String NETTY = "gRPC Netty server I/O";
    static final String GRPC_EXECUTORS = "gRPC call executors";
    static final String INGEST = "ingest completions";
    static final String STORE = "store sequencer + committer";
    static final String ROCKSDB = "RocksDB background";
    static final String GC = "GC";
    static final String JIT = "JIT";
    static final String OTHER = "other (scoring, Jetty, JVM)";
    static final List<String> GROUPS = List.of(LOAD_GENERATOR, NETTY, GRPC_EXECUTORS, INGEST, STORE, ROCKSDB, GC, JIT, OTHER);

    private ThreadCpu() {
    }

    static String group(String threadName) {
        // the main thread is "java" to the kernel and "main" to Java; under exec:java it is named
        // after the main class (the kernel keeps 15 characters of a name)
        if (threadName.equals("java") || threadName.equals("main") || threadName.startsWith("bench-client")
                || threadName.startsWith("pql.gateway.ben")) {
            return LOAD_GENERATOR;
        }
        if (threadName.startsWith("grpc-nio-") || threadName.startsWith("grpc-default-w") || threadName.startsWith("grpc-default-b")
                || threadName.startsWith("grpc-epoll")) {
            return NETTY;
        }
        if (threadName.startsWith("grpc-default-e") || threadName.startsWith("gateway-") || threadName.startsWith("grpc-")) {
            return GRPC_EXECUTORS;
        }
        if (threadName.startsWith("ingest-")) {
            return INGEST;
        }
        if (threadName.equals("store-sequencer") || threadName.equals("store-committer")) {
            return STORE;
        }
        if (threadName.startsWith("rocksdb")) {
            return ROCKSDB;
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")) {
            return GC;
        }
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return JIT;
        }
        return OTHER;
    }

    /** A reading taken before a measurement; {@link #stop()} gives what happened since. */
    record Start(long wallNanos, Map<Integer, Counter> tasks, Map<Long, Counter> allocated, long gcMillis) {
        Usage stop() {
            double seconds = (System.nanoTime() - wallNanos) / 1e9;
            Map<String, Long> cpuByGroup = new LinkedHashMap<>();
            Map<String, Long> cpuByThread = new HashMap<>();
            for (Map.Entry<Integer, Counter> task : ThreadUsage.cpuTicks().entrySet()) {
                Counter before = tasks.get(task.getKey());
                long nanos = (task.getValue().amount() - (before == null ? 0 : before.amount())) * ThreadUsage.NANOS_PER_TICK;
                cpuByGroup.merge(group(task.getValue().name()), nanos, Long::sum);
                cpuByThread.merge(task.getValue().name(), nanos, Long::sum);
            }
            Map<String, Long> allocatedByGroup = new LinkedHashMap<>();
            for (Map.Entry<Long, Counter> thread : ThreadUsage.allocatedBytes().entrySet()) {
                Counter before = allocated.get(thread.getKey());
                allocatedByGroup.merge(group(thread.getValue().name()),
                        thread.getValue().amount() - (before == null ? 0 : before.amount()), Long::sum);
            }
            return new Usage(seconds, cpuByGroup, cpuByThread, allocatedByGroup, ThreadUsage.collectorMillis() - gcMillis);
        }
    }

    /** What one measurement used. */
    record Usage(double seconds, Map<String, Long> cpuByGroup, Map<String, Long> cpuByThread,
            Map<String, Long> allocatedByGroup, long gcMillis) {

        long cpuNanos() {
            return cpuByGroup.values().stream().mapToLong(Long::longValue).sum();
        }

        double cpuMicrosPerUnit(long units) {
            return cpuNanos() / 1e3 / units;
        }

        double cpuMicrosPerUnit(String group, long units) {
            return cpuByGroup.getOrDefault(group, 0L) / 1e3 / units;
        }

        double bytesPerUnit(String group, long units) {
            return allocatedByGroup.getOrDefault(group, 0L) / (double) units;
        }

        /** Cores kept busy on average: 2.0 is the whole machine here. */
        double cores() {
            return cpuNanos() / 1e9 / seconds;
        }
    }

    static Start start() {
        return new Start(System.nanoTime(), ThreadUsage.cpuTicks(), ThreadUsage.allocatedBytes(), ThreadUsage.collectorMillis());
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}

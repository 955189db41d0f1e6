package pql.load;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * What each thread of this process has used so far, for benchmarks that split their CPU and
 * allocations by thread group: take a snapshot before and after, subtract.
 */
public final class ThreadUsage {

    /** USER_HZ is 100 on the Linux machines this runs on. */
    public static final long NANOS_PER_TICK = 10_000_000L;

    /** A thread's name and a counter (CPU ticks or bytes allocated). */
    public record Counter(String name, long amount) {
    }

    private ThreadUsage() {
    }

    /**
     * CPU ticks (user + system) of every thread of this process, by kernel thread id, from
     * /proc/self/task (Linux; empty elsewhere). The kernel keeps 15 characters of a name.
     */
    public static Map<Integer, Counter> cpuTicks() {
        Map<Integer, Counter> threads = new HashMap<>();
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return threads;
        }
        for (File task : tasks) {
            try {
                String stat = Files.readString(task.toPath().resolve("stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                // after "pid (comm) " come: state ppid pgrp session tty tpgid flags minflt cminflt
                // majflt cmajflt utime stime ...
                String[] fields = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                threads.put(Integer.parseInt(task.getName()), new Counter(stat.substring(open + 1, close), ticks));
            } catch (IOException | RuntimeException gone) {
                // the thread ended while we looked
            }
        }
        return threads;
    }

    /** Bytes allocated so far by each live Java thread, by Java thread id. */
    public static Map<Long, Counter> allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        Map<Long, Counter> allocated = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && bytes[i] >= 0) {
                allocated.put(ids[i], new Counter(infos[i].getThreadName(), bytes[i]));
            }
        }
        return allocated;
    }

    /** Time the collectors report (pauses, and concurrent work where the collector counts it). */
    public static long collectorMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}

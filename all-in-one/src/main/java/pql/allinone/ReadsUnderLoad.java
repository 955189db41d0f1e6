package pql.allinone;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * What this JVM does for score and forecast reads while an ingest flood keeps every core busy
 * (issue #13): its garbage collector, and whether Linux is given the thread priorities the
 * all-in-one sets (ingest, the store's writers and the projection lowest, reads highest). Both
 * are JVM options, which {@code ./pql start} sets (scripts/lib/server-jvm-options.sh); a JVM
 * started another way is told on its banner and in its log what it lacks.
 *
 * @param collector the collector's name ("Shenandoah", "ZGC", "G1", ...)
 * @param prioritiesApplied whether the JVM hands thread priorities to the OS
 *     ({@code -XX:ThreadPriorityPolicy=1})
 */
public record ReadsUnderLoad(String collector, boolean prioritiesApplied) {

    static final String OPTIONS = "-XX:+UseShenandoahGC -XX:ThreadPriorityPolicy=1";

    public static ReadsUnderLoad ofThisJvm() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String collector = "unknown";
        for (String[] flag : new String[][] {{"UseShenandoahGC", "Shenandoah"}, {"UseZGC", "ZGC"}, {"UseG1GC", "G1"},
                {"UseParallelGC", "Parallel"}, {"UseSerialGC", "Serial"}}) {
            if (option(vm, flag[0]).filter("true"::equals).isPresent()) {
                collector = flag[1];
                break;
            }
        }
        return new ReadsUnderLoad(collector, option(vm, "ThreadPriorityPolicy").filter("1"::equals).isPresent());
    }

    /** Pauses short enough for reads: the collectors that work concurrently with the application. */
    public boolean concurrentCollector() {
        return collector.equals("Shenandoah") || collector.equals("ZGC");
    }

    public boolean readsFirst() {
        return concurrentCollector() && prioritiesApplied;
    }

    /** The banner's line: what this JVM does, and what to change when it is not enough. */
    public String describe() {
        String what = collector + " GC" + (concurrentCollector() ? " (concurrent)" : "") + ", thread priorities "
                + (prioritiesApplied ? "applied" : "not applied");
        return readsFirst() ? "reads first: " + what
                : what + ": score reads slow down under an ingest flood (start with " + OPTIONS + ", as ./pql start does)";
    }

    private static Optional<String> option(HotSpotDiagnosticMXBean vm, String name) {
        try {
            return Optional.of(vm.getVMOption(name).getValue());
        } catch (IllegalArgumentException notThisJvm) {
            return Optional.empty();
        }
    }
}

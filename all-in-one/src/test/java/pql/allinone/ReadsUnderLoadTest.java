package pql.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue #13: the all-in-one says on its banner whether its JVM lets reads go first under an ingest flood. */
class ReadsUnderLoadTest {

    @Test
    void a_concurrent_collector_with_priorities_applied_puts_reads_first() {
        ReadsUnderLoad shenandoah = new ReadsUnderLoad("Shenandoah", true);
        assertThat(shenandoah.readsFirst()).isTrue();
        assertThat(shenandoah.describe()).isEqualTo("reads first: Shenandoah GC (concurrent), thread priorities applied");
        assertThat(new ReadsUnderLoad("ZGC", true).readsFirst()).isTrue();
    }

    @Test
    void lacking_either_names_what_is_lacking_and_the_options_that_fix_it() {
        assertThat(new ReadsUnderLoad("G1", true).describe()).isEqualTo("G1 GC, thread priorities applied: score reads slow down "
                + "under an ingest flood (start with -XX:+UseShenandoahGC -XX:ThreadPriorityPolicy=1, as ./pql start does)");
        assertThat(new ReadsUnderLoad("Shenandoah", false).readsFirst()).isFalse();
        assertThat(new ReadsUnderLoad("Shenandoah", false).describe()).startsWith("Shenandoah GC (concurrent), thread priorities not applied: ");
    }

    @Test
    void this_jvm_is_read_from_its_options() {
        ReadsUnderLoad jvm = ReadsUnderLoad.ofThisJvm();
        boolean policy = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:ThreadPriorityPolicy=1");
        assertThat(jvm.prioritiesApplied()).isEqualTo(policy);
        assertThat(jvm.collector()).isIn("Shenandoah", "ZGC", "G1", "Parallel", "Serial");
    }
}

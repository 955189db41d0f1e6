package pql.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmarks' command line: --name value pairs, a default for each option. */
class BenchOptionsTest {

    @Test
    void readsNameValuePairsAndFallsBackToTheDefaults() {
        BenchOptions options = BenchOptions.parse(new String[] {"--events", "300000", "--targets", "a,b", "--threads", "true", "--dangling"});

        assertThat(options.integer("events", 5)).isEqualTo(300000);
        assertThat(options.integer("rounds", 3)).isEqualTo(3);
        assertThat(options.list("targets", List.of("x"))).containsExactly("a", "b");
        assertThat(options.list("paced", List.of("direct", "gateway"))).containsExactly("direct", "gateway");
        assertThat(options.flag("threads", false)).isTrue();
        assertThat(options.has("dangling")).isFalse();
        assertThat(options.text("dir", "target/bench-data")).isEqualTo("target/bench-data");
    }
}

package pql.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusServletTest {

    @Test
    void each_kind_of_dropwizard_metric_becomes_its_prometheus_type() {
        MetricRegistry registry = new MetricRegistry();
        registry.register("jvm.memory.heap-used", (Gauge<Long>) () -> 1024L);
        registry.register("gateway.ready", (Gauge<Boolean>) () -> true);
        registry.register("build.version", (Gauge<String>) () -> "not a number");
        registry.counter("ingest.in-flight").inc(3);
        registry.meter("ingest.events").mark(5);
        registry.timer("grpc.GetAccountScore").update(Duration.ofMillis(250));

        StringWriter text = new StringWriter();
        PrometheusServlet.write(registry, new PrintWriter(text));

        assertThat(text.toString())
                .contains("# TYPE jvm_memory_heap_used gauge\njvm_memory_heap_used 1024.0\n")
                .contains("gateway_ready 1.0\n")
                .doesNotContain("build_version")
                .contains("# TYPE ingest_in_flight gauge\ningest_in_flight 3.0\n")
                .contains("# TYPE ingest_events_total counter\ningest_events_total 5.0\n")
                .contains("# TYPE grpc_GetAccountScore_seconds summary\n")
                .contains("grpc_GetAccountScore_seconds{quantile=\"0.5\"} 0.25\n")
                .contains("grpc_GetAccountScore_seconds_count 1\n");
    }

    @Test
    void a_name_starting_with_a_digit_or_holding_odd_characters_is_made_valid() {
        assertThat(PrometheusServlet.name("9lives.a/b c")).isEqualTo("_lives_a_b_c");
    }
}

package pql.common.admin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The process's Dropwizard metrics in the Prometheus text format (0.0.4), at the admin port's
 * {@code /prometheus}, behind the same admin key as every admin path. The mapping is the one of
 * Prometheus' own Dropwizard bridge: gauges and counters as gauges, meters as counters
 * ({@code _total}), histograms and timers as summaries (timers in seconds). Written here rather
 * than taken from the bridge because the build is offline and the mapping is this short.
 */
public final class PrometheusServlet extends HttpServlet {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};
    private static final double SECONDS_PER_NANO = 1.0 / TimeUnit.SECONDS.toNanos(1);

    private final transient MetricRegistry registry;

    public PrometheusServlet(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "must-revalidate,no-cache,no-store");
        write(registry, response.getWriter());
    }

    /** Writes every metric of {@code registry}; a gauge whose value is not a number is skipped. */
    static void write(MetricRegistry registry, PrintWriter out) {
        for (Map.Entry<String, Gauge> gauge : registry.getGauges().entrySet()) {
            Object value;
            try {
                value = gauge.getValue().getValue();
            } catch (RuntimeException failing) {
                continue; // one broken gauge must not hide the others
            }
            double number;
            if (value instanceof Number n) {
                number = n.doubleValue();
            } else if (value instanceof Boolean b) {
                number = b ? 1 : 0;
            } else {
                continue;
            }
            sample(out, name(gauge.getKey()), "gauge", number);
        }
        for (Map.Entry<String, Counter> counter : registry.getCounters().entrySet()) {
            sample(out, name(counter.getKey()), "gauge", counter.getValue().getCount());
        }
        for (Map.Entry<String, Meter> meter : registry.getMeters().entrySet()) {
            sample(out, name(meter.getKey()) + "_total", "counter", meter.getValue().getCount());
        }
        for (Map.Entry<String, Histogram> histogram : registry.getHistograms().entrySet()) {
            summary(out, name(histogram.getKey()), histogram.getValue().getSnapshot(), 1, histogram.getValue().getCount());
        }
        for (Map.Entry<String, Timer> timer : registry.getTimers().entrySet()) {
            summary(out, name(timer.getKey()) + "_seconds", timer.getValue().getSnapshot(), SECONDS_PER_NANO,
                    timer.getValue().getCount());
        }
        out.flush();
    }

    private static void sample(PrintWriter out, String name, String type, double value) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void summary(PrintWriter out, String name, Snapshot snapshot, double factor, long count) {
        out.append("# TYPE ").append(name).append(" summary\n");
        for (double quantile : QUANTILES) {
            out.append(name).append("{quantile=\"").append(Double.toString(quantile)).append("\"} ")
                    .append(number(snapshot.getValue(quantile) * factor)).append('\n');
        }
        out.append(name).append("_count ").append(Long.toString(count)).append('\n');
    }

    /** A Prometheus metric name: [a-zA-Z_:][a-zA-Z0-9_:]*, every other character an underscore. */
    static String name(String dropwizardName) {
        StringBuilder name = new StringBuilder(dropwizardName.length());
        for (int i = 0; i < dropwizardName.length(); i++) {
            char c = dropwizardName.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
            boolean digit = c >= '0' && c <= '9';
            name.append(letter || (digit && i > 0) ? c : '_');
        }
        return name.toString();
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }
}

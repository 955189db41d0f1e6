package pql.ingest.app;

/** What the use case reports for dashboards; adapters send it to Dropwizard and OpenTelemetry. */
public interface IngestMetrics {

    IngestMetrics NONE = new IngestMetrics() {
        @Override
        public void recorded(BatchOutcome outcome) {
        }

        @Override
        public void appended(long nanos, int events) {
        }

        @Override
        public void refused(Refusal why) {
        }
    };

    /** Why a whole call was refused. */
    enum Refusal { OVERLOADED, UNAVAILABLE }

    /** Per-item outcomes of a call that reached its end. */
    void recorded(BatchOutcome outcome);

    /** One durable store append of {@code events} events took {@code nanos}. */
    void appended(long nanos, int events);

    void refused(Refusal why);
}

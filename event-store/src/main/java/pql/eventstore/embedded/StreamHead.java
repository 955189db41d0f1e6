package pql.eventstore.embedded;

/**
 * One stream's version as the embedded store knows it, found by one map look-up per append
 * request: {@code sequenced} counts every append the sequencer has decided, durable or not (the
 * sequencer thread's alone), {@code durable} what readers are told, set by the committer once the
 * append is durable. Holding both in one object spares the two threads hashing the stream id into
 * two maps per append, which cost them more than deciding the append (a JFR profile of the store
 * benchmark with one event per stream: 45% of the Java samples).
 */
final class StreamHead {

    long sequenced;
    volatile long durable;

    StreamHead(long version) {
        this.sequenced = version;
        this.durable = version;
    }

    /** The durable versions a group of appends gives its streams, in the order they were decided. */
    static final class Updates {
        static final Updates NONE = new Updates(0);

        private final StreamHead[] heads;
        private final long[] versions;
        private int count;

        Updates(int capacity) {
            heads = new StreamHead[capacity];
            versions = new long[capacity];
        }

        void add(StreamHead head, long version) {
            heads[count] = head;
            versions[count++] = version;
        }

        /** Called once the group is durable: later appends of a stream come later, so the last one set wins. */
        void publish() {
            for (int i = 0; i < count; i++) {
                heads[i].durable = versions[i];
            }
        }
    }
}

package pql.eventstore;

import java.util.List;

/**
 * What an append did to its stream.
 *
 * @param streamId the stream
 * @param conflict true when the expected version did not hold: nothing was stored
 * @param streamVersion the stream's version after the append (its actual version on conflict)
 * @param events one outcome per requested event, in request order (empty on conflict)
 */
public record AppendResult(String streamId, boolean conflict, long streamVersion, List<EventOutcome> events) {

    public AppendResult {
        events = List.copyOf(events);
    }

    public static AppendResult conflict(String streamId, long actualVersion) {
        return new AppendResult(streamId, true, actualVersion, List.of());
    }

    /** Events this append stored (neither duplicates nor reused ids). */
    public long appendedCount() {
        return events.stream().filter(EventOutcome::appended).count();
    }

    /**
     * The outcome of one event.
     *
     * @param disposition whether it was stored, or why not
     * @param streamVersion where the event is: the new one's place, or for a duplicate or a reused
     *     id the place of the stored original
     */
    public record EventOutcome(String eventId, Disposition disposition, long streamVersion, long globalPosition) {

        public static EventOutcome appended(String eventId, long streamVersion, long globalPosition) {
            return new EventOutcome(eventId, Disposition.APPENDED, streamVersion, globalPosition);
        }

        /** The stream holds this id already: a duplicate when the content is the same, else a reused id. */
        public static EventOutcome known(String eventId, boolean sameContent, long streamVersion, long globalPosition) {
            return new EventOutcome(eventId, sameContent ? Disposition.DUPLICATE : Disposition.ID_REUSED, streamVersion,
                    globalPosition);
        }

        public boolean appended() {
            return disposition == Disposition.APPENDED;
        }

        /** The stream already held this very event (same id, same content, see {@link EventContent}). */
        public boolean duplicate() {
            return disposition == Disposition.DUPLICATE;
        }

        /** The stream holds this id with other content; nothing was stored, the original stays. */
        public boolean idReused() {
            return disposition == Disposition.ID_REUSED;
        }
    }

    /** What became of one requested event. */
    public enum Disposition {
        /** Stored by this append. */
        APPENDED,
        /** The stream held the same event under this id already (a retry): nothing stored. */
        DUPLICATE,
        /** The stream held other content under this id: nothing stored, the original is untouched. */
        ID_REUSED
    }
}

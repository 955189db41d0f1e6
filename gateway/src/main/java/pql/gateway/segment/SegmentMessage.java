package pql.gateway.segment;

import pql.v1.Event;

/** What one Segment message became: an event to ingest, nothing (ignored), or a rejection with its reason. */
public sealed interface SegmentMessage permits SegmentMessage.ToIngest, SegmentMessage.Ignored, SegmentMessage.Rejected {

    /** The message's id as sent (or derived), its type and its track event name, for the error listing. */
    record About(String messageId, String type, String eventName, String accountId) {
    }

    About about();

    record ToIngest(About about, Event event) implements SegmentMessage {
    }

    /** Nothing to store by configuration (page / screen / alias / an event mapped to ignore). */
    record Ignored(About about, String why) implements SegmentMessage {
    }

    /** Not stored: {@code code} is a short machine-readable reason, {@code reason} says it for people. */
    record Rejected(About about, String code, String reason) implements SegmentMessage {
    }
}

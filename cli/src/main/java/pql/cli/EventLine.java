package pql.cli;

import pql.v1.Event;

/** One input record: the event, or why it could not be read. {@code line} counts from 1. */
record EventLine(long line, Event event, String error) {

    static EventLine ok(long line, Event event) {
        return new EventLine(line, event, null);
    }

    static EventLine bad(long line, String error) {
        return new EventLine(line, null, error);
    }

    boolean isOk() {
        return event != null;
    }
}

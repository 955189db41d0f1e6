package pql.eventstore.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import pql.eventstore.EventStoreOverloadedException;
import pql.eventstore.EventStoreUnavailableException;

/** Turns JDBC failures into the port's exceptions. */
final class SqlFailures {

    private SqlFailures() {
    }

    /**
     * Every connection busy (the pool timed out without a failed connection attempt behind it)
     * is overload: the server is fine, we are asking too much of it. Anything else means the
     * store cannot be used right now.
     */
    static RuntimeException translate(String action, SQLException e) {
        if (isPoolExhausted(e)) {
            return new EventStoreOverloadedException("the PostgreSQL store is overloaded, cannot " + action
                    + ": every pooled connection is busy (" + e.getMessage() + ")");
        }
        return new EventStoreUnavailableException("the PostgreSQL store cannot " + action + ": " + describe(e), e);
    }

    static boolean isPoolExhausted(SQLException e) {
        // HikariCP's time-out carries the last connection failure as its cause, if there was one
        return e instanceof SQLTransientConnectionException && e.getCause() == null;
    }

    /** Connection exceptions (class 08) and the server ending the session (57P01-57P03, e.g. pg_terminate_backend). */
    static boolean lostTheConnection(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    private static String describe(SQLException e) {
        return e.getSQLState() == null ? e.getMessage() : e.getMessage() + " [SQLState " + e.getSQLState() + "]";
    }
}

package pql.cli;

import java.io.Closeable;
import java.io.IOException;

/** Reads events from a file, one record at a time. */
interface EventReader extends Closeable {

    /** The next record, null at the end. */
    EventLine next() throws IOException;
}

package pql.scoring.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * JDBC transactions for Axon and for scoring's own tables, on one connection per thread: inside a
 * transaction, every {@link #getConnection()} (Axon's {@code JdbcTokenStore} included) gets the same
 * connection, so storing a segment's token and writing its checkpoint commit together or not at all.
 *
 * <p>The connection is taken from the pool lazily, on the first statement: Axon opens a transaction
 * around every batch a segment processes, and most of a batch is spent applying events in memory.
 * Nested transactions join the outer one; a nested rollback makes the outer one roll back.
 */
public final class JdbcTransactions implements TransactionManager, ConnectionProvider {

    private final DataSource dataSource;
    private final ThreadLocal<Bound> bound = new ThreadLocal<>();

    private static final class Bound {
        Connection connection;
        int depth = 1;
        boolean rollbackOnly;
    }

    public JdbcTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Transaction startTransaction() {
        Bound current = bound.get();
        if (current != null) {
            current.depth++;
        } else {
            current = new Bound();
            bound.set(current);
        }
        Bound transaction = current;
        return new Transaction() {
            @Override
            public void commit() {
                finish(transaction, true);
            }

            @Override
            public void rollback() {
                finish(transaction, false);
            }
        };
    }

    private void finish(Bound transaction, boolean commit) {
        if (--transaction.depth > 0) {
            transaction.rollbackOnly |= !commit;
            return;
        }
        bound.remove();
        Connection connection = transaction.connection;
        if (connection == null) {
            if (commit && transaction.rollbackOnly) {
                throw new IllegalStateException("a nested transaction rolled back");
            }
            return;
        }
        try {
            if (commit && !transaction.rollbackOnly) {
                connection.commit();
            } else {
                connection.rollback();
                if (commit) {
                    throw new IllegalStateException("a nested transaction rolled back; rolled back the whole");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + (commit ? "commit" : "roll back") + ": " + e.getMessage(), e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the pool validates connections it gets back
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // returned to the pool either way
            }
        }
    }

    /** Inside a transaction: its connection (closing it does nothing). Outside: a pooled auto-commit one. */
    @Override
    public Connection getConnection() throws SQLException {
        Bound transaction = bound.get();
        if (transaction == null) {
            return dataSource.getConnection();
        }
        if (transaction.connection == null) {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            transaction.connection = connection;
        }
        return unclosable(transaction.connection);
    }

    private static Connection unclosable(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if ("close".equals(method.getName()) && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

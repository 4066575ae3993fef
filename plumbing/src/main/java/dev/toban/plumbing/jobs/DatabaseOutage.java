package dev.toban.plumbing.jobs;

import java.sql.SQLException;

/**
 * Tells a database outage (lost or refused connection, server shutting down, pool exhausted) from a bad
 * statement. Workers wait an outage out instead of counting it against a job; the REST layer answers 503
 * with {@code Retry-After} instead of 500 ({@code ProblemMappers}); the inbox does not count it as an attempt.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {
    }

    /** True when the cause chain shows a lost or refused connection rather than a bad statement. */
    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // 08: connection exception, 57P: operator intervention (shutdown), 53300: too many connections
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
                    return true;
                }
                String message = String.valueOf(sql.getMessage()).toLowerCase();
                if (message.contains("acquisition timeout") || message.contains("connection is closed")) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException || t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
        }
        return false;
    }
}

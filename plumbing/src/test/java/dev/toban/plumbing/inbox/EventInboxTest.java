package dev.toban.plumbing.inbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** What counts as a database outage (retried without end) rather than a failing event (dead-lettered). */
class EventInboxTest {

    @Test
    void connectionFailuresAreOutages() {
        assertTrue(EventInbox.databaseUnavailable(new JDBCConnectionException("Unable to acquire JDBC Connection",
                new SQLException("Connection to localhost:5432 refused", "08001"))));
        // PostgreSQL stopping: "terminating connection due to administrator command"
        assertTrue(EventInbox.databaseUnavailable(new RuntimeException(new GenericJDBCException("JDBC exception",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")))));
        assertTrue(EventInbox.databaseUnavailable(new SQLTransientConnectionException("Acquisition timeout")));
        assertTrue(EventInbox.databaseUnavailable(new IllegalStateException(
                new SQLException("Acquisition timeout while waiting for new connection", (String) null))));
    }

    @Test
    void otherFailuresCountAsAttempts() {
        assertFalse(EventInbox.databaseUnavailable(new IllegalArgumentException("no such team")));
        assertFalse(EventInbox.databaseUnavailable(new ConstraintViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505"), "uk")));
        assertFalse(EventInbox.databaseUnavailable(new RuntimeException(new SQLException("deadlock", "40P01"))));
    }
}

package dev.toban.system;

import dev.toban.plumbing.testing.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads a service's {@code _it} database directly, to check what the APIs do not show (outbox, inbox). */
final class Database {

    private Database() {
    }

    static long count(String service, String sql) {
        String url = "jdbc:postgresql://localhost:5432/toban_" + service + "_it";
        try (Connection connection = DriverManager.getConnection(url, "toban_" + service,
                LocalStack.get("TOBAN_DB_PASSWORD", ""));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}

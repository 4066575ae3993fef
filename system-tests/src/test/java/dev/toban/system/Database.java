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

    /** The first column of every row. */
    static java.util.List<String> strings(String service, String sql, Object... params) {
        String url = "jdbc:postgresql://localhost:5432/toban_" + service + "_it";
        try (Connection connection = DriverManager.getConnection(url, "toban_" + service,
                LocalStack.get("TOBAN_DB_PASSWORD", ""));
             java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            java.util.List<String> values = new java.util.ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
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

    /** Runs one update in a service's {@code _it} database (a test moving time along); returns the rows changed. */
    static int update(String service, String sql, Object... params) {
        String url = "jdbc:postgresql://localhost:5432/toban_" + service + "_it";
        try (Connection connection = DriverManager.getConnection(url, "toban_" + service,
                LocalStack.get("TOBAN_DB_PASSWORD", ""));
             java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}

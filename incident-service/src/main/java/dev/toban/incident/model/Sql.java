package dev.toban.incident.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Native SQL on the session's own connection, inside the caller's transaction. Used where JPA cannot
 * say it: INSERT ... ON CONFLICT against partial unique indexes, RETURNING, and FOR UPDATE SKIP LOCKED.
 * Nulls are bound untyped so PostgreSQL infers the column type.
 */
@ApplicationScoped
public class Sql {

    private final EntityManager em;

    public Sql(EntityManager em) {
        this.em = em;
    }

    /** A result row; timestamps come back as {@link Instant}. */
    public record Row(Object[] values) {
        public UUID uuid(int i) {
            return (UUID) values[i];
        }

        public String string(int i) {
            return values[i] == null ? null : values[i].toString();
        }

        public Instant instant(int i) {
            return (Instant) values[i];
        }

        public int integer(int i) {
            return ((Number) values[i]).intValue();
        }

        public long longValue(int i) {
            return ((Number) values[i]).longValue();
        }

        public boolean bool(int i) {
            return Boolean.TRUE.equals(values[i]);
        }
    }

    /** Runs a statement that returns rows (SELECT, or DML with RETURNING). Pending entity changes are flushed first. */
    public List<Row> query(String sql, Object... params) {
        em.flush();
        return queryUnflushed(sql, params);
    }

    /** Runs DML and returns the row count. Pending entity changes are flushed first. */
    public int update(String sql, Object... params) {
        em.flush();
        return updateUnflushed(sql, params);
    }

    /**
     * As {@link #query}, without flushing pending entity changes first: only where none can change the answer
     * (a flush there would dirty-check every managed entity for nothing).
     */
    public List<Row> queryUnflushed(String sql, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    return rows(rs);
                }
            }
        });
    }

    /**
     * Runs DML without flushing pending entity changes first: only for a table no entity writes, whose rows'
     * references are rows already in the database (a flush there would dirty-check every managed entity for nothing).
     */
    public int updateUnflushed(String sql, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        });
    }

    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int index = i + 1;
            if (p == null) {
                ps.setNull(index, Types.OTHER);
            } else if (p instanceof Instant instant) {
                ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            } else if (p instanceof Enum<?> e) {
                ps.setString(index, e.name());
            } else {
                ps.setObject(index, p);
            }
        }
    }

    public static List<Row> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int columns = meta.getColumnCount();
        List<Row> rows = new ArrayList<>();
        while (rs.next()) {
            Object[] values = new Object[columns];
            for (int c = 1; c <= columns; c++) {
                String type = meta.getColumnTypeName(c);
                if ("timestamptz".equals(type) || "timestamp".equals(type)) {
                    OffsetDateTime t = rs.getObject(c, OffsetDateTime.class);
                    values[c - 1] = t == null ? null : t.toInstant();
                } else {
                    values[c - 1] = rs.getObject(c);
                }
            }
            rows.add(new Row(values));
        }
        return rows;
    }
}

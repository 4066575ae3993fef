package dev.toban.plumbing.jobs;

/**
 * The SQL of a row-backed job table with a due column and a lease column ({@code claimed_until}), for
 * services to run with their own data access. Claiming sets the lease under {@code FOR UPDATE SKIP
 * LOCKED}, so two replicas never claim the same row, and a replica that dies mid-job leaves a lease that
 * expires: the row is claimable again then, and {@link #nextDueSql()} tells the worker when.
 *
 * @param table  the table, for example {@code commander_job}
 * @param key    its primary key column
 * @param due    the column that says when a row is due, for example {@code next_attempt_at}
 */
public record JobTable(String table, String key, String due) {

    /**
     * {@code update <table> set claimed_until = ?1 <set> where <key> in (select <key> ... where <due> <= ?2
     * and (claimed_until is null or claimed_until < ?2) order by <due> limit ?3 for update skip locked)
     * returning <returning>}, with positional parameters lease end, now, now, limit (JDBC {@code ?}).
     *
     * @param set       further assignments, for example {@code ", attempts = attempts + 1"}, or ""
     * @param returning the columns the worker needs
     */
    public String claimSql(String set, String returning) {
        return "update " + table + " set claimed_until = ?" + set + " where " + key + " in (select " + key
                + " from " + table + " where " + due + " <= ? and (claimed_until is null or claimed_until < ?)"
                + " order by " + due + " limit ? for update skip locked) returning " + returning;
    }

    /** The earliest instant a row becomes claimable: its due time, or its lease end if later (null: no rows). */
    public String nextDueSql() {
        // greatest() ignores nulls: an unclaimed row is due at its due time
        return "select min(greatest(" + due + ", claimed_until)) from " + table;
    }
}

package dev.toban.incident.rest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/**
 * Ingestion endpoints are non-blocking: Quarkus REST reads the whole body on the I/O thread, and only
 * then does the blocking work (JDBC) run on a worker thread. A blocking endpoint would instead park a
 * worker on the body stream until the sender's bytes arrive, which costs more than the work itself.
 */
final class Offload {

    private Offload() {
    }

    static <T> Uni<T> toWorker(Callable<T> work) {
        return Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (SQLException e) {
                throw new DatabaseFailure(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Hands a JDBC failure to plumbing's mappers: 503 with Retry-After while the database is down. */
    static final class DatabaseFailure extends PersistenceException {
        DatabaseFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}

package dev.toban.incident.catalog;

import dev.toban.incident.client.OnCallClient;
import dev.toban.incident.client.OnCallReference;
import dev.toban.incident.client.OnCallUnavailableException;
import dev.toban.incident.model.Team;
import dev.toban.incident.model.TeamRepository;
import dev.toban.incident.rest.RetryLaterException;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Referential integrity towards oncall-service: a service of the catalog may only name a team and an
 * escalation policy that exist there and are not archived. A team is checked against the local replica
 * first (fed by {@code toban.oncall.team.*}); when the replica does not have it as active (a team just
 * created whose event is still on its way, or one archived and perhaps brought back), oncall-service is
 * asked. Policies have no replica and are always asked. What cannot be confirmed is refused with 503,
 * never stored unchecked. Runs outside database transactions: it may wait for oncall-service.
 */
@ApplicationScoped
public class OnCallReferences {

    private static final Logger LOG = Logger.getLogger(OnCallReferences.class);

    private final OnCallClient oncall;
    private final TeamRepository teams;
    private final TransactionSynchronizationRegistry transactions;

    public OnCallReferences(OnCallClient oncall, TeamRepository teams, TransactionSynchronizationRegistry transactions) {
        this.oncall = oncall;
        this.teams = teams;
        this.transactions = transactions;
    }

    /** A 400 naming {@code field} unless the team exists and is active; 503 when that cannot be told. */
    public void requireTeam(String field, UUID teamId) {
        outsideTransaction();
        Optional<Team> local = teams.findByIdOptional(teamId);
        if (local.isPresent() && local.get().archivedAt == null) {
            return;
        }
        boolean archivedHere = local.isPresent();
        Optional<OnCallReference> remote;
        try {
            remote = oncall.team(teamId);
        } catch (OnCallUnavailableException e) {
            if (archivedHere) {
                throw archived(field, "team");
            }
            throw unavailable(field, "team", e);
        }
        if (remote.isEmpty()) {
            throw ProblemException.invalid(field, "is not a team of oncall-service");
        }
        if (remote.get().archived()) {
            throw archived(field, "team");
        }
    }

    /** A 400 naming {@code field} unless the escalation policy exists and is active; 503 when that cannot be told. */
    public void requirePolicy(String field, UUID policyId) {
        outsideTransaction();
        Optional<OnCallReference> remote;
        try {
            remote = oncall.policy(policyId);
        } catch (OnCallUnavailableException e) {
            throw unavailable(field, "escalation policy", e);
        }
        if (remote.isEmpty()) {
            throw ProblemException.invalid(field, "is not an escalation policy of oncall-service");
        }
        if (remote.get().archived()) {
            throw archived(field, "escalation policy");
        }
    }

    private static ProblemException archived(String field, String what) {
        return ProblemException.invalid(field, "is an archived " + what + " of oncall-service");
    }

    private static ProblemException unavailable(String field, String what, OnCallUnavailableException e) {
        LOG.warnf("Refused a catalog change: %s", e.getMessage());
        return new RetryLaterException(503, "Service unavailable", "oncall-service cannot confirm the " + what
                + " right now; nothing was saved, retry shortly",
                List.of(new Problem.FieldError(field, "cannot be checked against oncall-service right now")), 10);
    }

    /** A remote call inside a transaction would hold its connection and locks for seconds. */
    private void outsideTransaction() {
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            throw new IllegalStateException("oncall-service must not be called inside a database transaction");
        }
    }
}

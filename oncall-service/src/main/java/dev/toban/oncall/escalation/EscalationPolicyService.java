package dev.toban.oncall.escalation;

import dev.toban.contracts.oncall.OnCallContracts.PolicyChanged;
import dev.toban.contracts.oncall.OnCallContracts;
import dev.toban.oncall.common.References;
import dev.toban.oncall.common.Validation;
import dev.toban.oncall.model.EscalationLevel;
import dev.toban.oncall.model.EscalationPolicy;
import dev.toban.oncall.model.EscalationPolicyRepository;
import dev.toban.oncall.model.EscalationTarget;
import dev.toban.oncall.model.PersonRepository;
import dev.toban.oncall.model.ScheduleRepository;
import dev.toban.oncall.security.Caller;
import dev.toban.oncall.snapshot.OnCallSnapshots;
import dev.toban.plumbing.input.SingleLine;
import dev.toban.plumbing.outbox.Outbox;
import dev.toban.plumbing.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Escalation policies: ordered levels of targets, each with the delay before the next level. */
@ApplicationScoped
public class EscalationPolicyService {

    public static final String POLICY_CREATED = OnCallContracts.POLICY_CREATED.name();
    public static final String POLICY_UPDATED = OnCallContracts.POLICY_UPDATED.name();

    private final EscalationPolicyRepository policies;
    private final ScheduleRepository schedules;
    private final PersonRepository people;
    private final Outbox outbox;
    private final OnCallSnapshots snapshots;
    private final References references;
    private final Caller caller;
    private final Clock clock;

    public EscalationPolicyService(EscalationPolicyRepository policies, ScheduleRepository schedules,
                                   PersonRepository people, Outbox outbox, OnCallSnapshots snapshots,
                                   References references, Caller caller, Clock clock) {
        this.policies = policies;
        this.schedules = schedules;
        this.people = people;
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.references = references;
        this.caller = caller;
        this.clock = clock;
    }

    public record TargetRequest(
            @NotNull @Pattern(regexp = "schedule|person", message = "must be schedule or person") String type,
            @NotNull UUID id) {
    }

    /** {@code delayMinutes}: how long this level waits for an acknowledgement before the next level is paged. */
    public record LevelRequest(
            @NotNull @Min(1) @Max(1440) Integer delayMinutes,
            @NotNull @Size(min = 1, max = 10, message = "must have between 1 and 10 targets")
            List<@NotNull @Valid TargetRequest> targets) {
    }

    public record PolicyRequest(
            @NotBlank @Size(max = 100) @SingleLine String name,
            @Size(max = 1000) String description,
            @Min(0) @Max(9) Integer repeatCount,
            @NotNull @Size(min = 1, max = 10, message = "must have between 1 and 10 levels")
            List<@NotNull @Valid LevelRequest> levels) {
    }

    public record TargetView(String type, UUID id) {
    }

    public record LevelView(int level, int delayMinutes, List<TargetView> targets) {
    }

    public record PolicyView(UUID id, String name, String description, int repeatCount, List<LevelView> levels,
                             Instant updatedAt, Instant archivedAt, String archivedBy, long version) {
        static PolicyView of(EscalationPolicy p) {
            List<LevelView> levels = new ArrayList<>();
            for (int i = 0; i < p.levels.size(); i++) {
                int number = i + 1;
                levels.add(new LevelView(number, p.levels.get(i).delayMinutes, p.targets.stream()
                        .filter(t -> t.level == number).map(t -> new TargetView(t.type, t.targetId)).toList()));
            }
            return new PolicyView(p.id, p.name, p.description, p.repeatCount, levels, p.updatedAt, p.archivedAt,
                    p.archivedBy, p.version);
        }
    }


    /** Policies by name; archived ones only with {@code includeArchived}. */
    public List<PolicyView> list(boolean includeArchived) {
        return (includeArchived ? policies.listAll(Sort.by("name")) : policies.list("archivedAt is null", Sort.by("name")))
                .stream().map(PolicyView::of).toList();
    }

    public PolicyView get(UUID id) {
        return policies.findByIdOptional(id).map(PolicyView::of)
                .orElseThrow(() -> ProblemException.notFound("Escalation policy", id));
    }

    @Transactional
    public PolicyView create(PolicyRequest request) {
        return create(request, null);
    }

    @Transactional
    public PolicyView create(PolicyRequest request, UUID fixedId) {
        validate(request, null);
        EscalationPolicy p = new EscalationPolicy();
        p.id = fixedId == null ? UUID.randomUUID() : fixedId;
        p.createdAt = clock.instant();
        apply(p, request);
        policies.persistAndFlush(p);
        snapshots.bump();
        outbox.publish(OnCallContracts.POLICY_CREATED, p.id.toString(), eventData(p));
        return PolicyView.of(p);
    }

    @Transactional
    public PolicyView update(UUID id, PolicyRequest request) {
        EscalationPolicy p = policies.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Escalation policy", id));
        if (p.archived()) {
            throw References.archived("escalation policy '" + p.name + "'");
        }
        validate(request, id);
        apply(p, request);
        return changed(p);
    }

    /**
     * Archives a policy no technical service of incident-service pages through (409 naming them; 503 when
     * incident-service cannot say). Asks incident-service first, outside any transaction. Archiving again
     * changes nothing.
     */
    public PolicyView archive(UUID id) {
        PolicyView current = get(id);
        if (current.archivedAt() != null) {
            return current;
        }
        References.refuseArchive(references.servicesOfPolicy(id, current.name()));
        return QuarkusTransaction.requiringNew().call(() -> {
            EscalationPolicy p = policies.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                    .orElseThrow(() -> ProblemException.notFound("Escalation policy", id));
            if (p.archived()) {
                return PolicyView.of(p);
            }
            Instant now = clock.instant();
            p.archivedAt = now;
            p.archivedBy = caller.username();
            p.updatedAt = now;
            return changed(p);
        });
    }

    /** Puts an archived policy back, once every schedule and person it pages is live. */
    @Transactional
    public PolicyView unarchive(UUID id) {
        EscalationPolicy p = policies.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> ProblemException.notFound("Escalation policy", id));
        if (!p.archived()) {
            return PolicyView.of(p);
        }
        lockTargets(p.targets.stream().map(t -> new TargetRequest(t.type, t.targetId)).toList());
        References.refuseUnarchive("escalation policy '" + p.name + "'", references.archivedInPolicy(id));
        p.archivedAt = null;
        p.archivedBy = null;
        p.updatedAt = clock.instant();
        return changed(p);
    }

    private PolicyView changed(EscalationPolicy p) {
        policies.flush();
        snapshots.bump();
        outbox.publish(OnCallContracts.POLICY_UPDATED, p.id.toString(), eventData(p));
        return PolicyView.of(p);
    }

    private void validate(PolicyRequest request, UUID self) {
        policies.findByName(request.name()).filter(o -> !o.id.equals(self)).ifPresent(o -> {
            throw ProblemException.conflict("name", "a policy named '" + o.name + "' already exists"
                    + (o.archived() ? " (archived: unarchive it instead)" : ""));
        });
        Set<UUID> active = lockTargets(request.levels().stream().flatMap(l -> l.targets().stream()).toList());
        Validation v = new Validation();
        for (int i = 0; i < request.levels().size(); i++) {
            List<TargetRequest> targets = request.levels().get(i).targets();
            for (int j = 0; j < targets.size(); j++) {
                TargetRequest t = targets.get(j);
                boolean known = "schedule".equals(t.type()) ? schedules.findByIdOptional(t.id()).isPresent()
                        : people.findByIdOptional(t.id()).isPresent();
                if (!known) {
                    v.add("levels[" + i + "].targets[" + j + "].id", "is not a known " + t.type());
                } else if (!active.contains(t.id())) {
                    v.add("levels[" + i + "].targets[" + j + "].id", "is an archived " + t.type());
                }
            }
        }
        v.throwIfAny();
    }

    /** The live targets among {@code targets}, held (for share) until the transaction ends. */
    private Set<UUID> lockTargets(List<TargetRequest> targets) {
        Set<UUID> active = new java.util.HashSet<>(references.lockActive(References.Table.SCHEDULE, targets.stream()
                .filter(t -> "schedule".equals(t.type())).map(TargetRequest::id).collect(Collectors.toSet())));
        active.addAll(references.lockActive(References.Table.PERSON, targets.stream()
                .filter(t -> "person".equals(t.type())).map(TargetRequest::id).collect(Collectors.toSet())));
        return active;
    }

    private void apply(EscalationPolicy p, PolicyRequest request) {
        p.name = request.name().strip();
        p.description = request.description() == null || request.description().isBlank() ? null : request.description();
        p.repeatCount = request.repeatCount() == null ? 0 : request.repeatCount();
        p.levels.clear();
        p.targets.clear();
        for (int i = 0; i < request.levels().size(); i++) {
            LevelRequest l = request.levels().get(i);
            p.levels.add(new EscalationLevel(l.delayMinutes()));
            for (TargetRequest t : l.targets()) {
                p.targets.add(new EscalationTarget(i + 1, t.type(), t.id()));
            }
        }
        p.updatedAt = clock.instant();
    }

    /** The {@code data} of this kind's created/updated events (the contract's record). */
    static PolicyChanged eventData(EscalationPolicy p) {
        return new PolicyChanged(p.id, p.name, p.archived(), p.archivedAt, p.version);
    }
}

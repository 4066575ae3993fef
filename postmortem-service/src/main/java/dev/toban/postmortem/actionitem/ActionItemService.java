package dev.toban.postmortem.actionitem;

import dev.toban.contracts.PersonRef;
import dev.toban.contracts.TeamRef;
import dev.toban.contracts.incident.IncidentSnapshot;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItemCreated;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItemExported;
import dev.toban.contracts.postmortem.PostmortemContracts.ActionItemUpdated;
import dev.toban.plumbing.problem.Problem;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.postmortem.access.Access;
import dev.toban.postmortem.access.Requester;
import dev.toban.postmortem.client.OnCallApi;
import dev.toban.postmortem.client.OnCallClient;
import dev.toban.postmortem.client.RemoteNotFoundException;
import dev.toban.postmortem.config.PostmortemConfig;
import dev.toban.postmortem.lifecycle.PostmortemEvents;
import dev.toban.postmortem.lifecycle.Snapshots;
import dev.toban.postmortem.lifecycle.Views;
import dev.toban.postmortem.model.ActionItem;
import dev.toban.postmortem.model.ActionItemRepository;
import dev.toban.postmortem.model.ActionItemStatus;
import dev.toban.postmortem.model.BacklogWebhook;
import dev.toban.postmortem.model.BacklogWebhookRepository;
import dev.toban.postmortem.model.Participant;
import dev.toban.postmortem.model.ParticipantRepository;
import dev.toban.postmortem.model.Postmortem;
import dev.toban.postmortem.model.PostmortemRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Action items: follow-up work with an owner, a team, a due date and a status; exportable to the team's backlog. */
@ApplicationScoped
public class ActionItemService {

    private static final Logger LOG = Logger.getLogger(ActionItemService.class);

    private final ActionItemRepository items;
    private final PostmortemRepository postmortems;
    private final ParticipantRepository participants;
    private final BacklogWebhookRepository webhooks;
    private final BacklogExporter exporter;
    private final OnCallClient oncall;
    private final PostmortemEvents events;
    private final Snapshots snapshots;
    private final PostmortemConfig config;

    public ActionItemService(ActionItemRepository items, PostmortemRepository postmortems,
                             ParticipantRepository participants, BacklogWebhookRepository webhooks,
                             BacklogExporter exporter, OnCallClient oncall, PostmortemEvents events,
                             Snapshots snapshots, PostmortemConfig config) {
        this.items = items;
        this.postmortems = postmortems;
        this.participants = participants;
        this.webhooks = webhooks;
        this.exporter = exporter;
        this.oncall = oncall;
        this.events = events;
        this.snapshots = snapshots;
        this.config = config;
    }

    /** POST body. {@code ownerId} and {@code teamId} are oncall-service ids; the team defaults to the owning team. */
    public record ActionItemRequest(
            @NotBlank @Size(max = 300) String title,
            @Size(max = 10000) String description,
            @NotNull UUID ownerId,
            UUID teamId,
            @NotNull LocalDate dueDate,
            ActionItemStatus status) {
    }

    /** PATCH body: present fields change; {@code version} is the version the client edited. */
    public record ActionItemPatch(
            @NotNull Long version,
            @Size(min = 1, max = 300) String title,
            @Size(max = 10000) String description,
            UUID ownerId,
            UUID teamId,
            LocalDate dueDate,
            ActionItemStatus status) {
    }

    public List<Views.ActionItemView> list(UUID postmortemId, Requester caller) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Postmortem p = loadPostmortem(postmortemId);
            Access.requireRead(p, caller);
            return items.of(p.id).stream().map(ActionItemService::view).toList();
        });
    }

    /** How many action items are still open or in progress, per postmortem: for the list page. */
    public java.util.Map<UUID, Long> openCounts(java.util.Collection<UUID> postmortemIds) {
        if (postmortemIds.isEmpty()) {
            return java.util.Map.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> items.getEntityManager()
                .createQuery("select a.postmortemId, count(a) from ActionItem a where a.postmortemId in :ids "
                        + "and a.status in :open group by a.postmortemId", Object[].class)
                .setParameter("ids", postmortemIds)
                .setParameter("open", List.of(ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS))
                .getResultStream()
                .collect(java.util.stream.Collectors.toMap(r -> (UUID) r[0], r -> (Long) r[1])));
    }

    public Views.ActionItemView get(UUID id, Requester caller) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            ActionItem item = load(id);
            Access.requireRead(loadPostmortem(item.postmortemId), caller);
            return view(item);
        });
    }

    public Views.ActionItemView create(UUID postmortemId, ActionItemRequest body, Requester caller) {
        Postmortem before = QuarkusTransaction.joiningExisting().call(() -> {
            Postmortem p = loadPostmortem(postmortemId);
            Access.requireEdit(p, snapshots.incident(p), participants.allOf(p.id), caller);
            return p;
        });
        // resolve the ids first (possibly remotely), then write in one transaction
        TeamRef team = resolveTeam(before, body.teamId());
        ZoneId zone = zoneOf(team);
        if (body.dueDate().isBefore(LocalDate.now(zone))) {
            throw ProblemException.invalid("dueDate", "is in the past (today is " + LocalDate.now(zone) + " in " + zone.getId() + ")");
        }
        PersonRef owner = resolveOwner(before, body.ownerId());
        return QuarkusTransaction.requiringNew().call(() -> {
            Postmortem p = postmortems.lock(postmortemId).orElseThrow(() -> ProblemException.notFound("Postmortem", postmortemId));
            Access.requireEdit(p, snapshots.incident(p), participants.allOf(p.id), caller);
            Instant now = Instant.now();
            ActionItem item = new ActionItem();
            item.id = UUID.randomUUID();
            item.postmortemId = p.id;
            item.title = body.title().strip();
            item.description = body.description();
            setOwner(item, owner);
            setTeam(item, team, zone);
            item.dueDate = body.dueDate();
            item.status = body.status() == null ? ActionItemStatus.OPEN : body.status();
            item.createdAt = now;
            item.updatedAt = now;
            items.persist(item);
            items.flush();
            events.publish(PostmortemEvents.ACTION_ITEM_CREATED, p, caller.actor(),
                    (s, a) -> new ActionItemCreated(s, a, PostmortemEvents.actionItem(ref(item))));
            return view(item);
        });
    }

    public Views.ActionItemView update(UUID id, ActionItemPatch body, Requester caller) {
        ActionItem current = QuarkusTransaction.joiningExisting().call(() -> load(id));
        Postmortem before = QuarkusTransaction.joiningExisting().call(() -> loadPostmortem(current.postmortemId));
        requireEditItem(before, current, caller);
        TeamRef team = body.teamId() == null || body.teamId().equals(current.teamId) ? null : resolveTeam(before, body.teamId());
        ZoneId zone = team == null ? zoneOf(current.teamTimeZone) : zoneOf(team);
        if (body.dueDate() != null && !body.dueDate().equals(current.dueDate) && body.dueDate().isBefore(LocalDate.now(zone))) {
            throw ProblemException.invalid("dueDate", "is in the past (today is " + LocalDate.now(zone) + " in " + zone.getId() + ")");
        }
        if (body.title() != null && body.title().isBlank()) {
            throw ProblemException.invalid("title", "must not be blank");
        }
        PersonRef owner = body.ownerId() == null || body.ownerId().equals(current.ownerPersonId) ? null
                : resolveOwner(before, body.ownerId());
        return QuarkusTransaction.requiringNew().call(() -> {
            ActionItem item = load(id);
            Postmortem p = loadPostmortem(item.postmortemId);
            requireEditItem(p, item, caller);
            if (item.version != body.version()) {
                throw ProblemException.conflict("version", "is " + body.version() + " but the action item is at version "
                        + item.version + "; reload and apply your edit again");
            }
            List<String> changes = new ArrayList<>();
            if (body.title() != null && !body.title().strip().equals(item.title)) {
                item.title = body.title().strip();
                changes.add("title");
            }
            if (body.description() != null && !body.description().equals(item.description)) {
                item.description = body.description();
                changes.add("description");
            }
            if (owner != null) {
                setOwner(item, owner);
                changes.add("owner");
            }
            if (team != null) {
                setTeam(item, team, zone);
                changes.add("team");
            }
            if (body.dueDate() != null && !body.dueDate().equals(item.dueDate)) {
                item.dueDate = body.dueDate();
                changes.add("dueDate");
            }
            if (body.status() != null && body.status() != item.status) {
                item.status = body.status();
                changes.add("status");
            }
            if (changes.isEmpty()) {
                return view(item);
            }
            item.updatedAt = Instant.now();
            items.flush();
            events.publish(PostmortemEvents.ACTION_ITEM_UPDATED, p, caller.actor(),
                    (s, a) -> new ActionItemUpdated(s, a, PostmortemEvents.actionItem(ref(item)), changes));
            return view(item);
        });
    }

    /** Creates an issue in the team's backlog through its webhook; once per action item. */
    public Views.ActionItemView export(UUID id, Requester caller) {
        ActionItem item = QuarkusTransaction.joiningExisting().call(() -> load(id));
        Postmortem p = QuarkusTransaction.joiningExisting().call(() -> loadPostmortem(item.postmortemId));
        requireEditItem(p, item, caller);
        if (item.exportedAt != null) {
            throw ProblemException.conflict("id", "was already exported to " + item.externalUrl);
        }
        BacklogWebhook webhook = QuarkusTransaction.joiningExisting().call(() -> webhooks.findByTeam(item.teamId))
                .orElseThrow(() -> ProblemException.conflict("teamId", "team " + item.teamName
                        + " has no backlog webhook; an admin adds one with POST /api/backlog-webhooks"));
        Instant now = Instant.now();
        boolean claimed = QuarkusTransaction.requiringNew().call(() ->
                items.claimExport(id, now, now.minus(config.backlog().claimTimeout())));
        if (!claimed) {
            throw ProblemException.conflict("id", "is being exported or was exported already");
        }
        BacklogExporter.Result result;
        try {
            result = exporter.export(webhook, item, p, snapshots.url(p));
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> items.releaseExport(id));
            throw e;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ActionItem fresh = load(id);
            fresh.exportedAt = Instant.now();
            fresh.externalUrl = result.externalUrl();
            fresh.exportClaimedAt = null;
            fresh.updatedAt = fresh.exportedAt;
            items.flush();
            Postmortem locked = loadPostmortem(fresh.postmortemId);
            events.publish(PostmortemEvents.ACTION_ITEM_EXPORTED, locked, caller.actor(),
                    (s, a) -> new ActionItemExported(s, a, PostmortemEvents.actionItem(ref(fresh)),
                            result.externalUrl(), webhook.kind.wire()));
            LOG.infof("Exported action item %s to %s (%s)", fresh.id, webhook.kind, result.externalUrl());
            return view(fresh);
        });
    }

    private void requireEditItem(Postmortem p, ActionItem item, Requester caller) {
        Access.requireRead(p, caller);
        boolean owner = caller.responder() && caller.username() != null && caller.username().equals(item.ownerUsername);
        if (!owner) {
            Access.requireEdit(p, snapshots.incident(p), QuarkusTransaction.joiningExisting().call(() -> participants.allOf(p.id)), caller);
        }
    }

    /** The owner must be a person: one this postmortem knows, else one oncall-service knows. */
    private PersonRef resolveOwner(Postmortem p, UUID ownerId) {
        IncidentSnapshot incident = snapshots.incident(p);
        Optional<PersonRef> known = incident.people().stream().filter(x -> ownerId.equals(x.id())).findFirst();
        if (known.isPresent()) {
            return known.get();
        }
        Optional<Participant> participant = QuarkusTransaction.joiningExisting().call(() ->
                participants.allOf(p.id).stream().filter(x -> ownerId.equals(x.personId)).findFirst());
        if (participant.isPresent()) {
            Participant x = participant.get();
            return new PersonRef(x.personId, x.name, x.username, x.email, null, null, null);
        }
        return switch (oncall.person(ownerId)) {
            case OnCallClient.PersonLookup.Found found -> found.person();
            case OnCallClient.PersonLookup.Unknown unknown ->
                    throw ProblemException.invalid("ownerId", "does not resolve to a person in oncall-service");
            case OnCallClient.PersonLookup.Unavailable unavailable -> throw unavailable("ownerId");
        };
    }

    /** The team: the owning team by default; one the incident names; else one oncall-service knows. */
    private TeamRef resolveTeam(Postmortem p, UUID teamId) {
        IncidentSnapshot incident = snapshots.incident(p);
        if (teamId == null || teamId.equals(p.owningTeamId)) {
            if (p.owningTeamId == null) {
                throw ProblemException.invalid("teamId", "is required: the incident has no owning team");
            }
            return new TeamRef(p.owningTeamId, p.owningTeamName, p.owningTeamSlackChannel, p.timeZone);
        }
        Optional<TeamRef> named = incident.assignedTeamsOrEmpty().stream().filter(t -> teamId.equals(t.id())).findFirst();
        if (named.isPresent()) {
            return named.get();
        }
        try {
            OnCallApi.Team team = oncall.team(teamId).orElseThrow(() -> unavailable("teamId"));
            return new TeamRef(team.id(), team.name(), team.slackChannel(), team.timeZone());
        } catch (RemoteNotFoundException e) {
            throw ProblemException.invalid("teamId", "does not resolve to a team in oncall-service");
        }
    }

    private static ProblemException unavailable(String field) {
        return new ProblemException(503, "Service unavailable",
                "oncall-service cannot be reached to resolve " + field + "; retry later",
                List.of(new Problem.FieldError(field, "cannot be resolved right now")));
    }

    private ZoneId zoneOf(TeamRef team) {
        return zoneOf(team.timeZone());
    }

    private ZoneId zoneOf(String zone) {
        if (zone != null) {
            try {
                return ZoneId.of(zone);
            } catch (DateTimeException e) {
                // fall through to the default
            }
        }
        return config.scheduling().defaultTimeZone();
    }

    private static void setOwner(ActionItem item, PersonRef owner) {
        item.ownerPersonId = owner.id();
        item.ownerUsername = owner.username();
        item.ownerName = owner.name();
        item.ownerEmail = owner.email();
    }

    private static void setTeam(ActionItem item, TeamRef team, ZoneId zone) {
        item.teamId = team.id();
        item.teamName = Objects.requireNonNullElse(team.name(), team.id().toString());
        item.teamSlackChannel = team.slackChannel();
        item.teamTimeZone = zone.getId();
    }

    private ActionItem load(UUID id) {
        return items.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Action item", id));
    }

    private Postmortem loadPostmortem(UUID id) {
        return postmortems.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Postmortem", id));
    }

    static PersonRef owner(ActionItem a) {
        return new PersonRef(a.ownerPersonId, a.ownerName, a.ownerUsername, a.ownerEmail, null, null, null);
    }

    static TeamRef team(ActionItem a) {
        return new TeamRef(a.teamId, a.teamName, a.teamSlackChannel, a.teamTimeZone);
    }

    public static Views.ActionItemView view(ActionItem a) {
        return new Views.ActionItemView(a.id, a.postmortemId, a.title, a.description, owner(a), team(a), a.dueDate,
                a.status, a.externalUrl, a.exportedAt, a.createdAt, a.updatedAt, a.version);
    }

    public static Views.ActionItemRef ref(ActionItem a) {
        return new Views.ActionItemRef(a.id, a.postmortemId, a.title, owner(a), team(a), a.dueDate, a.status, a.externalUrl);
    }
}

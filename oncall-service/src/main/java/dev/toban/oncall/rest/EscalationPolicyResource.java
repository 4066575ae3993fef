package dev.toban.oncall.rest;

import dev.toban.oncall.common.Validation;
import dev.toban.oncall.escalation.EscalationPolicyService;
import dev.toban.oncall.escalation.EscalationPolicyService.PolicyRequest;
import dev.toban.oncall.escalation.EscalationPolicyService.PolicyView;
import dev.toban.oncall.schedule.OnCallService;
import dev.toban.oncall.schedule.OnCallService.TargetsView;
import dev.toban.plumbing.problem.ProblemException;
import dev.toban.plumbing.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/escalation-policies")
@Tag(name = "Escalation policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EscalationPolicyResource {

    private final EscalationPolicyService policies;
    private final OnCallService onCall;

    public EscalationPolicyResource(EscalationPolicyService policies, OnCallService onCall) {
        this.policies = policies;
        this.onCall = onCall;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List escalation policies", description = "Archived policies only with includeArchived=true.")
    public List<PolicyView> list(@QueryParam("includeArchived") @DefaultValue("false") boolean includeArchived) {
        return policies.list(includeArchived);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get an escalation policy")
    public PolicyView get(@PathParam("id") UUID id) {
        return policies.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create an escalation policy", description = "Publishes toban.oncall.policy.created.")
    public Response create(@NotNull @Valid PolicyRequest body) {
        PolicyView created = policies.create(body);
        return Response.created(URI.create("/api/escalation-policies/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace an escalation policy", description = "Publishes toban.oncall.policy.updated.")
    public PolicyView update(@PathParam("id") UUID id, @NotNull @Valid PolicyRequest body) {
        return policies.update(id, body);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive an escalation policy",
            description = "Archive, not delete: history (past overrides, cover requests, incidents in other "
                    + "services) keeps referring to it. An archived policy leaves the lists "
                    + "(?includeArchived=true shows it), stays readable by id with archivedAt, cannot be chosen "
                    + "as a new reference and is read-only until unarchived. Refused (409, naming each) while a "
                    + "technical service of incident-service pages through it; 503 when incident-service cannot "
                    + "say (retry). Publishes toban.oncall.policy.updated with archived=true.")
    public PolicyView archive(@PathParam("id") UUID id) {
        return policies.archive(id);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Unarchive an escalation policy", description = "Refused (409) while a schedule or person "
            + "it pages is archived. Publishes toban.oncall.policy.updated with archived=false.")
    public PolicyView unarchive(@PathParam("id") UUID id) {
        return policies.unarchive(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive an escalation policy (same as POST /{id}/archive)", description = "Nothing is "
            + "hard-deleted; see POST /{id}/archive. 204 on success.")
    public Response delete(@PathParam("id") UUID id) {
        policies.archive(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/targets")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Whom to page at level k at time T",
            description = "people: who is on call for every target at `at`, in target order then slot order; the first is "
                    + "the primary (the IC). level counts from 1. incident-service calls this. validUntil (UTC): the "
                    + "answer cannot change through time alone before it (the first handoff, restriction edge or "
                    + "override start or end in the level's schedules after `at`), at most `at` plus "
                    + "toban.oncall.targets.max-validity (15 minutes); callers may reuse the answer until then, and "
                    + "must drop it on a toban.oncall.schedule.*, override.*, policy.*, person.* or team.* event.")
    public TargetsView targets(@PathParam("id") UUID id, @QueryParam("level") String level, @QueryParam("at") String at) {
        int k;
        try {
            k = level == null || level.isBlank() ? 1 : Integer.parseInt(level.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("level", "must be a whole number from 1");
        }
        return onCall.targets(id, k, Validation.instant("at", at, onCall.now()));
    }
}

package dev.toban.oncall.rest;

import dev.toban.oncall.people.ContactVerificationService;
import dev.toban.oncall.people.DirectorySync;
import dev.toban.oncall.people.PersonLogins.SyncReport;
import dev.toban.oncall.people.PersonService;
import dev.toban.oncall.people.PersonService.PersonRequest;
import dev.toban.oncall.people.PersonService.PersonView;
import dev.toban.oncall.schedule.IcalService;
import dev.toban.oncall.schedule.IcalService.IssuedToken;
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
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/people")
@Tag(name = "People")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PersonResource {

    private final PersonService people;
    private final IcalService ical;
    private final DirectorySync directory;
    private final ContactVerificationService verification;

    /** The code typed back. */
    public record VerifyRequest(String code) {
    }

    public PersonResource(PersonService people, IcalService ical, DirectorySync directory,
                          ContactVerificationService verification) {
        this.verification = verification;
        this.people = people;
        this.ical = ical;
        this.directory = directory;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List people", description = "Archived people only with includeArchived=true.")
    public List<PersonView> list(@QueryParam("includeArchived") @DefaultValue("false") boolean includeArchived) {
        return people.list(includeArchived);
    }

    @GET
    @Path("/me")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The caller's own person", description = "The person linked to the token's subject (sub), "
            + "else the one whose username is the token's preferred_username. A signed-in user with a Toban role "
            + "who has none gets one on their first request (docs/architecture.md, One identity).")
    public PersonView me() {
        return people.me();
    }

    @POST
    @Path("/sync")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Sync people from the Keycloak realm now",
            description = "What the periodic sync does (toban.oncall.directory.sync-every): every realm user with a "
                    + "Toban role gets a person (linked by keycloakSubject, matched by username first), names, "
                    + "emails, usernames and roles follow Keycloak, and a disabled or deleted user's person loses "
                    + "their roles and is archived, or marked inactive (inactiveSince) while teams, rotations or "
                    + "policies still name them. Answers what it did; 503 when Keycloak cannot be read "
                    + "(nothing changes then).")
    public SyncReport sync() {
        return directory.syncNow();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a person with contact methods and notification rules",
            description = "notify-service reads this to page someone. roles (viewer, responder, admin), loginState "
                    + "(active, disabled, deleted; null without a linked Keycloak user) and inactiveSince mirror the "
                    + "person's Keycloak user and are never set through this API. Each contact method has verified and "
                    + "verifiedAt: notify-service pages only through verified methods.")
    public PersonView get(@PathParam("id") UUID id) {
        return people.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a person", description = "Publishes toban.oncall.person.created.")
    public Response create(@NotNull @Valid PersonRequest body) {
        PersonView created = people.create(body);
        return Response.created(URI.create("/api/people/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.RESPONDER)
    @Operation(summary = "Update a person", description = "Admins update anyone; a responder updates their own "
            + "profile, contact methods and notification rules. A webhook contact method added or pointed at a new "
            + "URL by anyone but an admin has approved=false until an admin approves it (notify-service skips it "
            + "until then). A contact method new or at a new address is unverified (verified=false) until a code sent "
            + "through it comes back (POST .../contact-methods/{methodId}/verification, then .../verify), except a "
            + "Slack or email method at the person's own Slack user id or email, verified at once; a webhook's "
            + "verification is its approval. Publishes toban.oncall.person.updated.")
    public PersonView update(@PathParam("id") UUID id, @NotNull @Valid PersonRequest body) {
        return people.update(id, body);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/contact-methods/{methodId}/approve")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Approve a webhook contact method", description = "notify-service calls a person's webhook "
            + "only once an admin approved it. Approving an approved method changes nothing. Publishes "
            + "toban.oncall.person.updated.")
    public PersonView approve(@PathParam("id") UUID id, @PathParam("methodId") UUID methodId) {
        return people.approve(id, methodId);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/contact-methods/{methodId}/verification")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Send a verification code through a contact method",
            description = "The person themself or an admin. Makes a 6-digit code valid for 10 minutes (an earlier one "
                    + "is void) and publishes toban.oncall.contact_method.verification_requested, on which notify-service "
                    + "sends it through the method. 202 with where it went and until when (never the code). 409 for a "
                    + "webhook (an admin's approval verifies it) or a method already verified; 429 after 5 codes for the "
                    + "method within an hour.")
    public Response requestCode(@PathParam("id") UUID id, @PathParam("methodId") UUID methodId) {
        return Response.accepted(verification.requestCode(id, methodId)).build();
    }

    @POST
    @Path("/{id}/contact-methods/{methodId}/verify")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Verify a contact method with the code it received",
            description = "Body {\"code\":\"123456\"}. The person themself or an admin. Right and in time: the method "
                    + "is verified (notify-service may page through it) and toban.oncall.person.updated is published. "
                    + "Wrong, expired, or no code waiting: 400 naming code; the fifth wrong code voids it (ask for a new "
                    + "one). Verifying a verified method changes nothing.")
    public PersonView verify(@PathParam("id") UUID id, @PathParam("methodId") UUID methodId, @NotNull VerifyRequest body) {
        return verification.verify(id, methodId, body.code());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/contact-methods/{methodId}/test")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Send me a test page through a contact method",
            description = "The person themself or an admin; verified methods only (409 otherwise). Publishes "
                    + "toban.oncall.contact_method.test_requested, on which notify-service sends a test page. 202; "
                    + "429 after 3 test pages for the method within 15 minutes.")
    public Response test(@PathParam("id") UUID id, @PathParam("methodId") UUID methodId) {
        return Response.accepted(verification.test(id, methodId)).build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/archive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive a person",
            description = "Archive, not delete: history (past overrides, cover requests, incidents in other "
                    + "services) keeps referring to it. An archived person leaves the lists "
                    + "(?includeArchived=true shows it), stays readable by id with archivedAt, cannot be chosen "
                    + "as a new reference and is read-only until unarchived. Refused (409, naming each) while a "
                    + "live team, rotation layer, escalation policy, current or future override or open cover "
                    + "request refers to them. Publishes toban.oncall.person.updated with archived=true.")
    public PersonView archive(@PathParam("id") UUID id) {
        return people.archive(id);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/unarchive")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Unarchive a person", description = "Publishes toban.oncall.person.updated with archived=false.")
    public PersonView unarchive(@PathParam("id") UUID id) {
        return people.unarchive(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Archive a person (same as POST /{id}/archive)", description = "Nothing is hard-deleted; "
            + "see POST /{id}/archive. 204 on success.")
    public Response delete(@PathParam("id") UUID id) {
        people.archive(id);
        return Response.noContent().build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/ical-token")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Create a calendar subscription link for a person's shifts",
            description = "Only for yourself unless admin. Replaces your previous link; the token is shown once.")
    public Response issueToken(@PathParam("id") UUID id) {
        IssuedToken token = ical.issue(IcalService.PERSON, id);
        return Response.status(201).entity(token).build();
    }

    @DELETE
    @Path("/{id}/ical-token")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Revoke calendar subscription links for a person",
            description = "Your own link; with all=true (admin) every link of this person.")
    public Map<String, Integer> revokeToken(@PathParam("id") UUID id, @QueryParam("all") @DefaultValue("false") boolean all) {
        return Map.of("revoked", ical.revoke(IcalService.PERSON, id, all));
    }
}

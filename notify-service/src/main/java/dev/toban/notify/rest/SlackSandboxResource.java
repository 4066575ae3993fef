package dev.toban.notify.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toban.notify.sandbox.SandboxInteractions;
import dev.toban.notify.sandbox.SandboxWorkspace;
import dev.toban.notify.sandbox.SlackSandbox;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The Slack sandbox's HTTP side: the Web API under {@code /sandbox/slack/api/<method>} (the same shapes as
 * {@code https://slack.com/api/}: form or JSON arguments, the bot token as a bearer token or a {@code token}
 * argument, always HTTP 200 with {@code ok}) and the response_urls it hands out. Only while the sandbox is
 * on ({@code SandboxGate} answers 404 otherwise); the token and the unguessable response_url are the
 * credentials, as with Slack.
 */
@Path("/sandbox/slack")
@PermitAll
public class SlackSandboxResource {

    private final SandboxWorkspace workspace;
    private final SandboxInteractions interactions;
    private final SlackSandbox sandbox;
    private final ObjectMapper mapper;

    public SlackSandboxResource(SandboxWorkspace workspace, SandboxInteractions interactions, SlackSandbox sandbox,
                                ObjectMapper mapper) {
        this.workspace = workspace;
        this.interactions = interactions;
        this.sandbox = sandbox;
        this.mapper = mapper;
    }

    @POST
    @Path("/api/{method}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response call(@PathParam("method") String method, @HeaderParam("Authorization") String authorization,
                         @HeaderParam("Content-Type") String contentType, @Context UriInfo uri, byte[] body) {
        ObjectNode params = mapper.createObjectNode();
        uri.getQueryParameters().forEach((k, v) -> params.put(k, v.get(0)));
        String raw = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            try {
                JsonNode json = raw.isBlank() ? mapper.createObjectNode() : mapper.readTree(raw);
                if (!json.isObject()) {
                    return answer(error("invalid_json"));
                }
                params.setAll((ObjectNode) json);
            } catch (IOException e) {
                return answer(error("invalid_json"));
            }
        } else {
            form(raw).forEach(params::put);
        }
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : params.path("token").asText(null);
        if (token == null || token.isEmpty()) {
            return answer(error("not_authed"));
        }
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                sandbox.settings().token().getBytes(StandardCharsets.UTF_8))) {
            return answer(error("invalid_auth"));
        }
        params.remove("token");
        return answer(workspace.call(method, params));
    }

    @GET
    @Path("/api/{method}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response get(@PathParam("method") String method, @HeaderParam("Authorization") String authorization,
                        @Context UriInfo uri) {
        return call(method, authorization, null, uri, new byte[0]);
    }

    /** A response_url: the app's answer to one interaction or command (JSON), as Slack takes it. */
    @POST
    @Path("/responses/{id}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response respond(@PathParam("id") String id, byte[] body) {
        UUID responseId;
        try {
            responseId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Response.status(404).entity(error("expired_url")).build();
        }
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        SandboxInteractions.Responded r = interactions.respond(responseId, json);
        return Response.status(r.status()).entity(r.error() == null ? mapper.createObjectNode().put("ok", true)
                : error(r.error())).build();
    }

    private Response answer(ObjectNode body) {
        return Response.ok(body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private ObjectNode error(String code) {
        return mapper.createObjectNode().put("ok", false).put("error", code);
    }

    /** A form body's fields (the first of each name), decoded; a malformed pair is skipped. */
    static Map<String, String> form(String body) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // skip it, as a lenient form reader does
            }
        }
        return values;
    }
}

package dev.toban.plumbing.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Makes every service's OpenAPI document usable for automation (docs/security.md, "API for automation"):
 * <ul>
 * <li>an {@code operationId} for every operation: smallrye's {@code CLASS_METHOD} id ({@code IncidentResource_list})
 * becomes {@code incidentList} (the class without {@code Resource}, then the method); an explicit
 * {@code @Operation(operationId = ...)} is kept as it is;</li>
 * <li>one security scheme, {@value #SCHEME}: OAuth2 authorization code at the realm's Keycloak (Swagger UI signs in
 * there with PKCE); every secured operation requires it without scopes (roles are in the token, not scopes);</li>
 * <li>public operations (ingestion, Slack and Twilio callbacks, iCal feeds) carry their own credential, named by the
 * {@value #PUBLIC_SECURITY} extension on the resource method; they get an explicit empty security requirement and
 * the extension's text in their description;</li>
 * <li>the standard RFC 9457 problem responses where they apply, unless the operation declares its own:
 * 400 (a body or parameters), 401/403 (secured), 404 (path parameters), 409 (a secured write), 413 (a body);</li>
 * <li>the server from {@code toban.openapi.server-url} (the service's public URL).</li>
 * </ul>
 * Runs at build time; {@link OpenApiRuntimeUrls} puts the running service's Keycloak and server URLs in when the
 * document is asked for, so that start-up does not rebuild the document (a third of a second of every start).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class TobanOpenApiFilter implements OASFilter {

    /** The security scheme's name; {@code quarkus.smallrye-openapi.security-scheme-name} says the same. */
    public static final String SCHEME = "keycloak";
    /** Extension on a public operation naming the credential it checks instead of a Keycloak token. */
    public static final String PUBLIC_SECURITY = "x-toban-security";
    static final String PROBLEM = "Problem";
    static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;
    static final String PROBLEM_MEDIA = "application/problem+json";
    private static final Pattern CLASS_METHOD = Pattern.compile("([A-Za-z0-9]+)_([A-Za-z0-9]+)");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        applyUrls(openAPI, ConfigProvider.getConfig());
        addProblemSchemas(openAPI);
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> filter(path, method, operation)));
    }

    /**
     * The server ({@code toban.openapi.server-url}) and the security scheme at the realm's Keycloak
     * ({@code toban.openapi.keycloak-realm-url}, which plumbing's microprofile-config.properties always sets).
     */
    static void applyUrls(OpenAPI openAPI, Config config) {
        config.getOptionalValue("toban.openapi.server-url", String.class).ifPresent(url -> openAPI.setServers(
                new ArrayList<>(List.of(OASFactory.createServer().url(url).description("This service")))));
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        String realm = config.getValue("toban.openapi.keycloak-realm-url", String.class);
        openAPI.getComponents().setSecuritySchemes(new LinkedHashMap<>(Map.of(SCHEME, keycloak(realm))));
    }

    /** The camelCase operationId of a smallrye CLASS_METHOD id; any other id (an explicit one) as it is. */
    public static String operationId(String id) {
        if (id == null) {
            return null;
        }
        Matcher m = CLASS_METHOD.matcher(id);
        if (!m.matches()) {
            return id;
        }
        String entity = m.group(1).endsWith("Resource") && m.group(1).length() > "Resource".length()
                ? m.group(1).substring(0, m.group(1).length() - "Resource".length()) : m.group(1);
        return Character.toLowerCase(entity.charAt(0)) + entity.substring(1)
                + Character.toUpperCase(m.group(2).charAt(0)) + m.group(2).substring(1);
    }

    private static void filter(String path, PathItem.HttpMethod method, Operation operation) {
        operation.setOperationId(operationId(operation.getOperationId()));
        Object publicSecurity = operation.getExtensions() == null ? null : operation.getExtensions().get(PUBLIC_SECURITY);
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured) {
            operation.setSecurity(new ArrayList<>(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME))));
        } else if (publicSecurity != null) {
            operation.setSecurity(new ArrayList<SecurityRequirement>());
            String note = "Authentication: " + publicSecurity + " (no Keycloak token).";
            String description = operation.getDescription();
            if (description == null || !description.contains(note)) {
                operation.setDescription(description == null || description.isBlank() ? note : description + "\n\n" + note);
            }
        }
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        // smallrye copies a method's @Extension onto its responses too when it has @APIResponse: it belongs to the operation
        if (responses.getExtensions() != null && responses.getExtensions().containsKey(PUBLIC_SECURITY)) {
            responses.removeExtension(PUBLIC_SECURITY);
        }
        boolean body = operation.getRequestBody() != null;
        boolean parameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
        if (body || parameters) {
            addProblem(responses, "400", "Invalid request: a parameter or the body is malformed or breaks a rule; "
                    + "`errors` names each field");
        }
        if (secured) {
            // Quarkus adds a bare 401 and 403 to secured operations: say what they mean, and that a 403 is a problem
            // (plumbing's PageErrors maps ForbiddenException); the 401 of the bearer mechanism has no body.
            responses.addAPIResponse("401", OASFactory.createAPIResponse().description(
                    "No valid bearer token (missing, expired, or not issued by Toban's realm with audience toban); "
                            + "no body, WWW-Authenticate: Bearer"));
            responses.addAPIResponse("403", problem("Forbidden: the token's user lacks the role this operation needs "
                    + "(viewer, responder or admin), or the operation is not theirs to do"));
        }
        if (path.contains("{")) {
            addProblem(responses, "404", "Not found: no such resource (or it is not visible to you)");
        }
        if (secured && method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD) {
            addProblem(responses, "409", "Conflict: the resource's state does not allow this, it refers to something "
                    + "archived or missing, or it was changed concurrently (reload and retry)");
        }
        if (body) {
            addProblem(responses, "413", "The body is larger than this endpoint accepts");
        }
    }

    private static void addProblem(APIResponses responses, String code, String description) {
        APIResponse existing = responses.getAPIResponse(code);
        // Quarkus's automatic 400 "Bad Request" has no body: the services answer problem+json
        if (existing != null && (existing.getContent() != null || existing.getRef() != null)) {
            return;
        }
        if (existing != null && existing.getDescription() != null && !existing.getDescription().equals("Bad Request")) {
            return;
        }
        responses.addAPIResponse(code, problem(description));
    }

    /** A problem+json response with the given description. */
    public static APIResponse problem(String description) {
        Content content = OASFactory.createContent().addMediaType(PROBLEM_MEDIA,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    private static SecurityScheme keycloak(String realm) {
        String base = realm.endsWith("/") ? realm.substring(0, realm.length() - 1) : realm;
        return OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.OAUTH2)
                .description("Keycloak realm toban. Swagger UI signs in with the authorization code flow and PKCE "
                        + "(client toban-swagger); scripts send a token of the toban-cli client as "
                        + "`Authorization: Bearer` (docs/security.md). Roles (viewer, responder, admin) are in the token.")
                .flows(OASFactory.createOAuthFlows().authorizationCode(OASFactory.createOAuthFlow()
                        .authorizationUrl(base + "/protocol/openid-connect/auth")
                        .tokenUrl(base + "/protocol/openid-connect/token")
                        .refreshUrl(base + "/protocol/openid-connect/token")
                        .scopes(new LinkedHashMap<>(Map.of("openid", "OpenID Connect sign-in")))));
    }

    private static void addProblemSchemas(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(openAPI.getComponents().getSchemas());
        if (!schemas.containsKey("ProblemFieldError")) {
            schemas.put("ProblemFieldError", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                    .description("One invalid input: a dotted path such as layers[0].participants, and what is wrong")
                    .addProperty("field", string())
                    .addProperty("message", string()));
        }
        if (!schemas.containsKey(PROBLEM)) {
            schemas.put(PROBLEM, OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                    .description("RFC 9457 problem details (application/problem+json)")
                    .addProperty("type", string())
                    .addProperty("title", string())
                    .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                    .addProperty("detail", string())
                    .addProperty("instance", string())
                    .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                            .items(OASFactory.createSchema().ref("#/components/schemas/ProblemFieldError")))
                    .required(List.of("type", "title", "status")));
        }
        openAPI.getComponents().setSchemas(schemas);
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    }
}

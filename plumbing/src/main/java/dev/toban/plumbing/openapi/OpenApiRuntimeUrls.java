package dev.toban.plumbing.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * The running service's server and Keycloak URLs in its OpenAPI document, set when the document is served: the rest
 * of {@link TobanOpenApiFilter}'s work is done at build time, and start-up no longer rebuilds the document.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class OpenApiRuntimeUrls implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        TobanOpenApiFilter.applyUrls(openAPI, ConfigProvider.getConfig());
    }
}

package dev.toban.postmortem.openapi;

import dev.toban.plumbing.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is fit for automation (operationIds committed in docs/api/operation-ids/postmortem-service.txt,
 * unique across Toban; summaries, security, 4xx responses, server and licence): see {@link OpenApiContract}.
 */
@QuarkusTest
class OpenApiDocumentTest {

    @Test
    void documentIsFitForAutomation() throws Exception {
        OpenApiContract.check("postmortem-service");
    }
}

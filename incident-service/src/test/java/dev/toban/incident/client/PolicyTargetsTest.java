package dev.toban.incident.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** oncall-service's targets answer, exactly as docs/architecture.md writes it, binds to PolicyTargets. */
class PolicyTargetsTest {

    @Test
    void theContractExampleBinds() throws Exception {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        PolicyTargets answer = json.readValue("""
                {"policyId":"22222222-0000-4000-8000-000000000001","policyName":"Server default","level":1,"levels":2,
                 "repeatCount":1,"delayMinutes":15,
                 "targets":[{"type":"schedule","id":"33333333-0000-4000-8000-000000000001","name":"server"}],
                 "people":[{"id":"44444444-0000-4000-8000-000000000001","name":"Hanako Sato","username":"sato",
                            "email":"sato@toban.example","slackUserId":"U024BE7LH","timeZone":"Asia/Tokyo","locale":"ja"},
                           {"id":"44444444-0000-4000-8000-000000000002","name":"Ichiro Suzuki","username":"suzuki",
                            "email":"suzuki@toban.example","slackUserId":"U0G9QF9C6","timeZone":"Asia/Tokyo","locale":"ja"}],
                 "validUntil":"2026-11-25T10:15:00Z","somethingNew":true}""", PolicyTargets.class);
        assertEquals(2, answer.levels());
        assertEquals(15, answer.delayMinutes());
        assertEquals("schedule", answer.targets().get(0).type());
        assertEquals("sato", answer.people().get(0).username(), "the primary comes first and becomes IC");
        assertNull(answer.cachedAt(), "a live answer");
        assertEquals(java.time.Instant.parse("2026-11-25T10:15:00Z"), answer.validUntil(), "reusable until then");
    }
}

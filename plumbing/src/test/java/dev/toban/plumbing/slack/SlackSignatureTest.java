package dev.toban.plumbing.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlackSignatureTest {

    /** Slack's documented example (api.slack.com, "Verifying requests from Slack"). */
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String TIMESTAMP = "1531420618";
    static final byte[] BODY = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    static final Instant THEN = Instant.ofEpochSecond(1531420618);

    @Test
    void slacksDocumentedExampleVerifies() {
        assertEquals(SIGNATURE, SlackSignature.sign(SECRET, TIMESTAMP, BODY));
        assertTrue(SlackSignature.verify(SECRET, TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(299), Duration.ofMinutes(5)));
    }

    @Test
    void staleWrongOrMissingSignaturesDoNot() {
        Duration window = Duration.ofMinutes(5);
        assertFalse(SlackSignature.verify(SECRET, TIMESTAMP, SIGNATURE, BODY, THEN.plusSeconds(301), window));
        assertFalse(SlackSignature.verify(SECRET, TIMESTAMP, SIGNATURE, BODY, THEN.minusSeconds(301), window));
        assertFalse(SlackSignature.verify("other", TIMESTAMP, SIGNATURE, BODY, THEN, window));
        assertFalse(SlackSignature.verify(SECRET, TIMESTAMP, SIGNATURE.replace('3', '4'), BODY, THEN, window));
        assertFalse(SlackSignature.verify(SECRET, "not-a-number", SIGNATURE, BODY, THEN, window));
        assertFalse(SlackSignature.verify(SECRET, TIMESTAMP, null, BODY, THEN, window));
        assertFalse(SlackSignature.verify(null, TIMESTAMP, SIGNATURE, BODY, THEN, window));
        assertFalse(SlackSignature.verify(SECRET, TIMESTAMP, SIGNATURE, "x".getBytes(StandardCharsets.UTF_8), THEN, window));
    }
}

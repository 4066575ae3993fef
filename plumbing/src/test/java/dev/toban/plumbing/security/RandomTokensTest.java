package dev.toban.plumbing.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomTokensTest {

    @Test
    void tokensHaveTheirLengthAndAlphabet() {
        assertEquals(43, RandomTokens.urlSafe(32).length(), "32 bytes are 43 base64url characters without padding");
        assertTrue(RandomTokens.urlSafe(32).matches("[A-Za-z0-9_-]+"));
        assertEquals(48, RandomTokens.hex(24).length());
        assertTrue(RandomTokens.hex(24).matches("[0-9a-f]+"));
        assertTrue(RandomTokens.of("abc", 200).matches("[abc]{200}"));
        assertEquals(12, RandomTokens.bytes(12).length);
    }

    @Test
    void tokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(RandomTokens.urlSafe(16)), "a 128-bit token repeated");
        }
        assertNotEquals(RandomTokens.of("0123456789", 32), RandomTokens.of("0123456789", 32));
        Set<Integer> values = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            values.add(RandomTokens.nextInt(5));
        }
        assertEquals(Set.of(0, 1, 2, 3, 4), values, "every value of [0, 5) is drawn");
    }
}

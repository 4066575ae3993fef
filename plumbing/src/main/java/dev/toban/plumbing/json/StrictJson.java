package dev.toban.plumbing.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import dev.toban.plumbing.input.Instants;
import dev.toban.plumbing.input.Text;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * The shared JSON reading of every Toban service:
 * <ul>
 * <li>a body such as {@code {"a":1}}} is malformed (Jackson would read the first value and ignore the rest);</li>
 * <li>a string with a control character other than tab or a line break, or an unpaired surrogate, is refused
 * ({@link Text});</li>
 * <li>an instant outside 1970..9999 is refused ({@link Instants}).</li>
 * </ul>
 * Each refusal is a 400 problem naming the field (ProblemMappers). Trees read with {@code readTree}
 * (ingestion) are not affected: ingestion cleans what it stores instead of losing an alert.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(module());
    }

    /** Registered after the JavaTimeModule (customizers run after Quarkus's own modules). */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("toban-strict-json");
        module.addDeserializer(String.class, new CheckedString());
        module.addDeserializer(Instant.class, new CheckedInstant());
        return module;
    }

    @Override
    public int priority() {
        // after Quarkus's default customizers, so the JavaTimeModule's Instant reader is replaced
        return MINIMUM_PRIORITY;
    }

    static final class CheckedString extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            String problem = Text.problem(value, false);
            if (problem != null) {
                throw JsonMappingException.from(p, problem);
            }
            return value;
        }
    }

    static final class CheckedInstant extends StdScalarDeserializer<Instant> {

        CheckedInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Instant value = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            if (value != null && !Instants.inRange(value)) {
                throw JsonMappingException.from(p, "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
            }
            return value;
        }
    }
}

package dev.toban.contracts;

import java.util.Objects;

/**
 * One CloudEvent type: its name (also the routing key), the version of its {@code data} and the record that
 * data is. The outbox writes {@link #dataschema()} on the envelope, so a consumer can tell which shape it got.
 *
 * @param name     the CloudEvents {@code type}, for example {@code toban.incident.triggered}
 * @param version  the data's version: grows only when a change is not backwards compatible (docs/events.md)
 * @param dataType the record the {@code data} binds to
 */
public record EventType<T>(String name, int version, Class<T> dataType) {

    /** dataschema URIs are {@code urn:toban:event:<type>:v<version>}. */
    public static final String SCHEMA_PREFIX = "urn:toban:event:";

    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    public static <T> EventType<T> of(String name, int version, Class<T> dataType) {
        return new EventType<>(name, version, dataType);
    }

    /** The CloudEvents {@code dataschema} attribute of this type, e.g. {@code urn:toban:event:toban.incident.triggered:v1}. */
    public String dataschema() {
        return SCHEMA_PREFIX + name + ":v" + version;
    }

    @Override
    public String toString() {
        return dataschema();
    }
}

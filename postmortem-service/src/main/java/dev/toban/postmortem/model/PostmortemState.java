package dev.toban.postmortem.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a postmortem stands: pending decision, scheduled, held, published, or skipped with a reason. */
public enum PostmortemState implements WireEnum {
    PENDING_DECISION("pending_decision"),
    SCHEDULED("scheduled"),
    HELD("held"),
    PUBLISHED("published"),
    SKIPPED("skipped");

    private final String wire;

    PostmortemState(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class JpaConverter extends WireEnum.Converter<PostmortemState> {
        public JpaConverter() {
            super(PostmortemState.class);
        }
    }
}

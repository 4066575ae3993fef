package dev.toban.postmortem.model;

import jakarta.persistence.AttributeConverter;

/** An enum whose JSON and database spelling is its lower-case wire value, such as {@code pending_decision}. */
public interface WireEnum {

    String wire();

    static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + value + "'");
    }

    /** JPA converter base: one small subclass per enum. */
    abstract class Converter<E extends Enum<E> & WireEnum> implements AttributeConverter<E, String> {
        private final Class<E> type;

        protected Converter(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : value.wire();
        }

        @Override
        public E convertToEntityAttribute(String value) {
            return value == null ? null : parse(type, value);
        }
    }
}

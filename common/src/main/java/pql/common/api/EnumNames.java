package pql.common.api;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The short names of proto enum values, for people: {@code PERSONA_GOLDEN_LEAD} is
 * {@code golden_lead}, and {@code golden_lead}, {@code golden-lead}, {@code GOLDEN_LEAD} and
 * {@code PERSONA_GOLDEN_LEAD} all name it. The prefix is the enum's type name in upper snake case
 * (Persona → PERSONA_, OpportunitySize → OPPORTUNITY_SIZE_), as the style guide names values.
 * The zero value ({@code ..._UNSPECIFIED}) is never a choice: it means "not set".
 */
public final class EnumNames {

    private EnumNames() {
    }

    /** The value {@code text} names, in any of the accepted forms; empty when none. */
    public static Optional<EnumValueDescriptor> find(EnumDescriptor type, String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        String prefix = prefix(type);
        for (EnumValueDescriptor value : type.getValues()) {
            if (value.getNumber() != 0 && (value.getName().equals(wanted) || value.getName().equals(prefix + wanted))) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /**
     * The value {@code text} names; else IllegalArgumentException "{@code what}: unknown value 'x';
     * one of a, b, c" (what: the option, parameter or field that held it).
     */
    public static EnumValueDescriptor parse(EnumDescriptor type, String text, String what) {
        return find(type, text).orElseThrow(() -> new IllegalArgumentException(unknown(type, text, what)));
    }

    /** "{@code what}: unknown value 'x'; one of a, b, c". */
    public static String unknown(EnumDescriptor type, String text, String what) {
        return what + ": " + unknownValue(type, text);
    }

    /** "unknown value 'x'; one of a, b, c" (for a field violation, which names the field itself). */
    public static String unknownValue(EnumDescriptor type, String text) {
        return "unknown value '" + (text == null ? "" : text.trim()) + "'; one of " + String.join(", ", shortNames(type));
    }

    /** The short names of every value but the zero one, in declaration order. */
    public static List<String> shortNames(EnumDescriptor type) {
        return type.getValues().stream().filter(value -> value.getNumber() != 0).map(EnumNames::shortName).toList();
    }

    /** PERSONA_GOLDEN_LEAD → golden_lead (a name without the type's prefix stays whole). */
    public static String shortName(EnumValueDescriptor value) {
        String prefix = prefix(value.getType());
        String name = value.getName();
        return (name.startsWith(prefix) && name.length() > prefix.length() ? name.substring(prefix.length()) : name)
                .toLowerCase(Locale.ROOT);
    }

    /** OpportunitySize → OPPORTUNITY_SIZE_. */
    static String prefix(EnumDescriptor type) {
        String name = type.getName();
        StringBuilder prefix = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (i > 0 && Character.isUpperCase(c) && !Character.isUpperCase(name.charAt(i - 1))) {
                prefix.append('_');
            }
            prefix.append(Character.toUpperCase(c));
        }
        return prefix.append('_').toString();
    }
}

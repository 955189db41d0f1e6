package pql.cli;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.ProtocolMessageEnum;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import pql.common.api.EnumNames;

/**
 * Bad usage: exit code 2, the reason on one line and where to read more, not the whole usage
 * text (which buries the reason). Commands report their own checks the same way, by throwing
 * {@link #error}.
 */
final class Usage implements CommandLine.IParameterExceptionHandler {

    static final int EXIT_CODE = 2;

    @Override
    public int handleParseException(ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String reason = exception.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        if (reason.startsWith("Missing required subcommand") && !commandLine.getSubcommands().isEmpty()) {
            reason += ": one of " + String.join(", ", commandLine.getSubcommands().keySet());
        }
        err.println(reason);
        CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("see: " + commandLine.getCommandSpec().qualifiedName() + " --help");
        err.flush();
        return EXIT_CODE;
    }

    /** Bad usage found by the command itself (picocli's checks passed): exit code 2 with {@code reason}. */
    static ParameterException error(CommandSpec spec, String reason) {
        return new ParameterException(spec.commandLine(), reason);
    }

    /** Each of {@code texts} as a value of the proto enum, in its short form or whole; else a usage error listing the short forms. */
    static <E extends ProtocolMessageEnum> List<E> enums(CommandSpec spec, String option, List<String> texts, EnumDescriptor type,
            IntFunction<E> forNumber) {
        List<E> values = new ArrayList<>();
        for (String text : texts) {
            values.add(forNumber.apply(EnumNames.find(type, text)
                    .orElseThrow(() -> error(spec, EnumNames.unknown(type, text, option))).getNumber()));
        }
        return values;
    }

    /** An integer option within {@code min..max}. */
    static int within(CommandSpec spec, String option, int value, int min, int max, String hint) {
        if (value < min || value > max) {
            throw error(spec, option + ": must be between " + min + " and " + String.format(java.util.Locale.ROOT, "%,d", max)
                    + ", was " + value + (hint == null ? "" : " (" + hint + ")"));
        }
        return value;
    }
}

package pql.allinone.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The sample's known truth ({@link PlantedSignal}) as a JSON file next to the generated data, so a
 * person or a test can check what discovery suggests against what was planted.
 */
public final class SampleTruth {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleTruth() {
    }

    /** {@code sample.jsonl} → {@code sample.truth.json} in the same directory. */
    public static Path besides(Path dataFile) {
        String name = dataFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dataFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".truth.json");
    }

    public static void write(Path file, int accounts, long seed, Instant anchor) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(accounts, seed, anchor)) + "\n");
    }

    static ObjectNode json(int accounts, long seed, Instant anchor) {
        ObjectNode truth = JSON.createObjectNode()
                .put("accounts", accounts)
                .put("seed", seed)
                .put("anchor", anchor.toString())
                .put("about", "Planted predictors: trials meeting the rule (at least min_count of the action within"
                        + " within_days days; 0 = any time in the trial) convert at the odds ratio given. Noise actions and"
                        + " logins are independent of persona and outcome. Checklist and everyday actions follow the"
                        + " personas, whose conversion odds differ, so they predict too (not planted, not noise).");
        ArrayNode predictors = truth.putArray("planted_predictors");
        for (PlantedSignal.Predictor predictor : PlantedSignal.PREDICTORS) {
            predictors.addObject()
                    .put("action", predictor.action())
                    .put("min_count", predictor.minCount())
                    .put("within_days", predictor.withinDays())
                    .put("share_of_converted_trials", predictor.shareOfConverted())
                    .put("share_of_lost_trials", predictor.shareOfLost())
                    .put("odds_ratio", Math.round(predictor.oddsRatio() * 100) / 100.0);
        }
        ArrayNode noise = truth.putArray("noise_actions");
        PlantedSignal.NOISE_ACTIONS.forEach(noise::add);
        noise.add(PlantedSignal.LOGIN);
        ArrayNode persona = truth.putArray("persona_driven_actions");
        PresetModel.CHECKLIST.forEach(step -> persona.add(step.action()));
        SampleDataGenerator.EVERYDAY_ACTIONS.forEach(persona::add);
        return truth;
    }
}

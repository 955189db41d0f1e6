package pql.allinone;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code sampleData:} section: the dataset loaded when the all-in-one starts on an empty store. */
public class SampleDataConfig {

    @JsonProperty
    private boolean loadOnFirstStart = true;

    @JsonProperty
    @Min(1)
    private int accounts = 2000;

    @JsonProperty
    private long seed = 42;

    /** "now", or an ISO-8601 instant: the newest sample event's time. */
    @JsonProperty
    @NotNull
    private String anchor = "now";

    /** Where a load in progress is remembered (to resume it after a crash). */
    @JsonProperty
    @NotNull
    private String stateFile = "./data/sample-data.state";

    public String getStateFile() {
        return stateFile;
    }

    public boolean isLoadOnFirstStart() {
        return loadOnFirstStart;
    }

    public int getAccounts() {
        return accounts;
    }

    public long getSeed() {
        return seed;
    }

    public String getAnchor() {
        return anchor;
    }
}

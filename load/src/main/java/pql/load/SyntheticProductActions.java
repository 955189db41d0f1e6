package pql.load;

import com.google.protobuf.Timestamp;
import java.util.SplittableRandom;
import pql.v1.Event;
import pql.v1.ProductAction;

/**
 * The product actions every load generator sends (`pql bench`, the service and store benchmarks):
 * the bulk of real traffic, with the shape of a real one (a user, an action of eight, a quantity,
 * two properties), so all of them measure the same events.
 */
public final class SyntheticProductActions {

    private static final String[] ACTIONS = {"report_created", "invoice_submitted", "message_sent", "user_invited",
        "dashboard_viewed", "integration_connected", "login", "export_downloaded"};

    /** Spread of occurred_at: up to 90 days before "now". */
    private static final int PAST_SECONDS = 7_776_000;

    private SyntheticProductActions() {
    }

    public static ProductAction action(SplittableRandom random) {
        return ProductAction.newBuilder()
                .setUserId("user-" + random.nextInt(8))
                .setAction(ACTIONS[random.nextInt(ACTIONS.length)])
                .setQuantity(1 + random.nextInt(3))
                .putProperties("plan", "trial")
                .putProperties("client", random.nextBoolean() ? "web" : "ios")
                .build();
    }

    /** An event of {@code accountId} that occurred up to 90 days before {@code nowSeconds}. */
    public static Event event(SplittableRandom random, String eventId, String accountId, long nowSeconds) {
        return Event.newBuilder()
                .setEventId(eventId)
                .setAccountId(accountId)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(nowSeconds - random.nextInt(PAST_SECONDS)))
                .setProductAction(action(random))
                .build();
    }
}

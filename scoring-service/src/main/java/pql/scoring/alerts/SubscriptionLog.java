package pql.scoring.alerts;

import java.util.List;

/** Where subscriptions are recorded: the "pql-alert-subscriptions" stream of the event store. */
public interface SubscriptionLog {

    /** Every subscription added and not removed since, in the order they were added. */
    List<Subscription> current();

    void add(Subscription subscription);

    /** @return false when no such subscription is current */
    boolean remove(String id, String removedBy);
}

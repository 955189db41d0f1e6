package pql.load;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CompletableFuture;

/** Answers of gRPC future stubs as {@link CompletableFuture}s, which the load generators compose. */
public final class GrpcFutures {

    private GrpcFutures() {
    }

    public static <T> CompletableFuture<T> toCompletable(ListenableFuture<T> future) {
        CompletableFuture<T> completion = new CompletableFuture<>();
        Futures.addCallback(future, new FutureCallback<T>() {
            @Override
            public void onSuccess(T answer) {
                completion.complete(answer);
            }

            @Override
            public void onFailure(Throwable error) {
                completion.completeExceptionally(error);
            }
        }, MoreExecutors.directExecutor());
        return completion;
    }
}

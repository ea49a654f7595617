package agkg;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * A Neo4j Community server for agkg's test suite and for users without Docker.
 *
 * Usage: Neo4jServer DATA_DIR [PASSWORD] [BOLT_PORT] [HTTP_PORT]
 *
 * Listens on 127.0.0.1 only (port 0 = a free port), sets the password of user neo4j,
 * prints "bolt://127.0.0.1:PORT" and "http://127.0.0.1:PORT" once it accepts connections,
 * then runs until its standard input closes or it receives SIGTERM/SIGINT, and stops
 * the database cleanly. Reading stdin to its end is what ties the server's life to the
 * process that started it: when `make test` (or a crashed pytest) goes, the pipe closes.
 */
public final class Neo4jServer {
    private Neo4jServer() {}

    /** A port the OS says is free now (the server binds it a moment later, on loopback only). */
    private static int freeIfZero(int port) throws IOException {
        if (port != 0) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Neo4jServer DATA_DIR [PASSWORD] [BOLT_PORT] [HTTP_PORT]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        String password = args.length > 1 ? args[1] : "agkg-test-password";
        int boltPort = freeIfZero(args.length > 2 ? Integer.parseInt(args[2]) : 0);
        int httpPort = freeIfZero(args.length > 3 ? Integer.parseInt(args[3]) : 0);
        Files.createDirectories(dir);

        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(dir)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
                // Advertised too, so that Neo4j Browser (served over HTTP) connects back to this port.
                .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", boltPort))
                .withConfig(HttpConnector.enabled, true)
                .withConfig(HttpConnector.listen_address, new SocketAddress("127.0.0.1", httpPort))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                // Modest memory by default: the suite shares 2 cores and the RAM with FalkorDB and pytest;
                // tools/neo4j_server.py passes -Dagkg.pagecache.mib for a larger graph.
                .withConfig(GraphDatabaseSettings.pagecache_memory,
                        ByteUnit.mebiBytes(Long.getLong("agkg.pagecache.mib", 256L)))
                .build();

        AtomicBoolean stopped = new AtomicBoolean(false);
        CountDownLatch done = new CountDownLatch(1);
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                try {
                    neo4j.close();
                } finally {
                    done.countDown();
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));

        neo4j.databaseManagementService()
                .database("system")
                .executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));

        System.out.println("bolt://127.0.0.1:" + boltPort);
        System.out.println("http://127.0.0.1:" + httpPort);
        System.out.println("ready");
        System.out.flush();

        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Nothing to read: the server only waits for its input to close.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of input.
        }
        stop.run();
        System.exit(0);
    }
}

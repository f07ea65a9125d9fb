package dev.streamfirst.io.postgres;

import java.sql.SQLException;

/**
 * Says why a connection to PostgreSQL failed, cause first: TLS trust, the certificate's host name,
 * the server's access rules, or authentication. The driver's own words follow; they never hold the
 * password.
 */
final class ConnectionFailure {
  private ConnectionFailure() {}

  static String explain(SQLException e) {
    String message = String.valueOf(e.getMessage());
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String text = String.valueOf(cause.getMessage());
      if (text.contains("PKIX") || text.contains("unable to find valid certification")) {
        return "TLS trust: the server's certificate is not signed by an authority this client"
            + " trusts; give the authority's PEM certificate as sslrootcert=/path/ca.pem (with"
            + " sslmode=verify-full) ("
            + message
            + ")";
      }
      if (text.contains("could not be verified") || text.contains("No subject alternative")) {
        return "TLS: the server's certificate does not name the host in the URL; connect by a name"
            + " it holds ("
            + message
            + ")";
      }
    }
    SQLException sql = e;
    while (sql.getSQLState() == null && sql.getCause() instanceof SQLException next) {
      sql = next;
    }
    String state = String.valueOf(sql.getSQLState());
    if (state.equals("28000") || message.contains("pg_hba.conf")) {
      return "the server's access rules (pg_hba.conf) refuse this connection"
          + (message.contains("no encryption")
              ? " without TLS; connect with sslmode=verify-full&sslrootcert=/path/ca.pem"
              : "")
          + " ("
          + message
          + ")";
    }
    if (state.equals("28P01") || message.contains("password authentication failed")) {
      return "authentication failed: check the user and password (password= or"
          + " password=${file:/path}) ("
          + message
          + ")";
    }
    return message;
  }
}

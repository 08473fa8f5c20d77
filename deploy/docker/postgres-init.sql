-- One database per service (docs/architecture.md); each service migrates its own at start-up.
CREATE DATABASE tongban_intake;
CREATE DATABASE tongban_routing;
CREATE DATABASE tongban_approval;
CREATE DATABASE tongban_delivery;
CREATE DATABASE tongban_notification;
CREATE DATABASE tongban_supervision;

import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { apiError, json, stubFetch } from "@/testing/fetch-stub";
import { fakeToken, makeOrder, signInAs } from "@/testing/fixtures";
import { renderApp } from "@/testing/render";

const page = (items: unknown[]) => json(200, { items, total: items.length, page: 1, page_size: 20 });

describe("signing in", () => {
  it("sends a signed-out visitor to sign-in, and a demo user back to where they were going", async () => {
    const network = stubFetch({
      "POST /api/v1/auth/dev-token": () =>
        json(200, { access_token: fakeToken(["finance"], { sub: "demo-finance" }), token_type: "bearer", expires_in: 28800, sub: "demo-finance", roles: ["finance"], permissions: [] }),
      "GET /api/v1/orders": () => page([makeOrder()]),
    });
    const { router } = renderApp("/orders?status=unpaid");

    await userEvent.click(await screen.findByRole("button", { name: "Sign in as Finance" }));

    expect(await screen.findByRole("table", { name: "Orders" })).toBeInTheDocument();
    expect(router.state.location.pathname + router.state.location.search).toBe("/orders?status=unpaid");
    expect(screen.getByTestId("signed-in-user")).toHaveTextContent("demo-finance");
    expect(network.callsTo("POST", "/api/v1/auth/dev-token")[0]?.body).toEqual({ role: "finance" });
    expect(JSON.parse(window.sessionStorage.getItem("erp.session") ?? "{}")).toHaveProperty("token");
    expect(window.localStorage.length).toBe(0);
  });

  it("accepts a pasted token and refuses text that is not one", async () => {
    stubFetch({ "GET /api/v1/orders": () => page([]) });
    renderApp("/sign-in");
    const field = await screen.findByLabelText("Access token");
    await userEvent.type(field, "not-a-token");
    await userEvent.click(screen.getByRole("button", { name: "Sign in with token" }));
    expect(await screen.findByText("This is not a valid token: paste the whole JWT.")).toBeInTheDocument();

    await userEvent.clear(field);
    await userEvent.type(field, fakeToken(["sales"]));
    await userEvent.click(screen.getByRole("button", { name: "Sign in with token" }));
    expect(await screen.findByText("No orders yet")).toBeInTheDocument();
  });

  it("says when demo sign-in is turned off on the server", async () => {
    stubFetch({ "POST /api/v1/auth/dev-token": () => apiError(404, "not_found", "Not found.") });
    renderApp("/sign-in");
    await userEvent.click(await screen.findByRole("button", { name: "Sign in as Sales" }));
    expect(await screen.findByText("Demo sign-in is turned off on this server: paste a token instead.")).toBeInTheDocument();
  });
});

describe("an expired session", () => {
  it("is noticed on load and explained on the sign-in screen", async () => {
    signInAs(["sales"], { expiresIn: -60 });
    stubFetch({});
    renderApp("/orders");
    expect(await screen.findByText("Your session has expired. Sign in again to continue.")).toBeInTheDocument();
    expect(window.sessionStorage.getItem("erp.session")).toBeNull();
  });

  it("is noticed when the API answers 401, and sends the user back to sign-in", async () => {
    signInAs(["sales"]);
    stubFetch({ "GET /api/v1/orders": () => apiError(401, "unauthorized", "The token has expired.") });
    const { router } = renderApp("/orders");
    expect(await screen.findByText("Your session has expired. Sign in again to continue.")).toBeInTheDocument();
    await waitFor(() => expect(router.state.location.pathname).toBe("/sign-in"));
    expect(window.sessionStorage.getItem("erp.session")).toBeNull();
  });
});

"""The floor to compare with: a FastAPI endpoint doing nothing, served the same way."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/bare")
async def bare() -> dict[str, str]:
    return {"status": "ok"}

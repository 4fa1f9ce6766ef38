# One image for every Newsline process; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from the same lock file `make run` installs from, so the image
# and a new machine run the same releases; editing code does not reinstall them.
COPY requirements/run.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt

# lib/ and services/*/ hold the packages; migrations/ and seeds/ are read at
# run time (`newsline migrate`, the actor and lexicon data, the seed articles).
# Editable on purpose: the code finds those folders relative to its own source
# files (`Path(__file__).parents[2]`), which a regular install would move.
COPY . .
RUN pip install --no-deps -e . \
    && useradd --system --uid 10001 --create-home --home-dir /home/newsline newsline

USER newsline

# Every compose service overrides this; on its own the image explains itself.
CMD ["newsline", "--help"]

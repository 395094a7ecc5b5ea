#include <gtest/gtest.h>

#include "model/case.h"
#include "model/error.h"

using namespace consilium;
using namespace consilium::model;

TEST(CaseVocabulary, TextFormsRoundTrip)
{
    for (auto s : {CaseStatus::Received, CaseStatus::InReview, CaseStatus::ReadyForSignOff, CaseStatus::Finalized})
        EXPECT_EQ(caseStatusFrom(toString(s)), s);
    for (auto r : {Role::Radiologist, Role::Pathologist, Role::BoardChair})
        EXPECT_EQ(roleFrom(toString(r)), r);
    for (auto k : {AttachmentKind::Letter, AttachmentKind::Genomic, AttachmentKind::PathologyReport,
                   AttachmentKind::TreatmentHistory, AttachmentKind::Other})
        EXPECT_EQ(attachmentKindFrom(toString(k)), k);
    EXPECT_EQ(serviceFrom("written-review+video"), ServiceOrdered::WrittenReviewWithVideo);
    EXPECT_EQ(toString(Role::BoardChair), "board-chair");
}

TEST(CaseVocabulary, UnknownValueNamesTheAcceptedOnes)
{
    try {
        attachmentKindFrom("xray");
        FAIL() << "no exception";
    } catch (const UsageError& e) {
        EXPECT_EQ(e.subject(), "attachment kind");
        EXPECT_NE(std::string(e.what()).find("letter, genomic, pathology-report"), std::string::npos) << e.what();
    }
}

TEST(CaseDeadline, DaysLeftAndOverdue)
{
    Case c;
    c.dueOn = *parseIsoDate("2026-12-07");                           // Monday
    EXPECT_EQ(businessDaysLeft(c, *parseIsoDate("2026-12-04")), 1);  // Friday before
    EXPECT_FALSE(isOverdue(c, *parseIsoDate("2026-12-07")));
    EXPECT_TRUE(isOverdue(c, *parseIsoDate("2026-12-08")));
    EXPECT_EQ(businessDaysLeft(c, *parseIsoDate("2026-12-09")), -2);
    c.status = CaseStatus::Finalized;
    EXPECT_FALSE(isOverdue(c, *parseIsoDate("2026-12-09")));  // delivered cases are never overdue
}
